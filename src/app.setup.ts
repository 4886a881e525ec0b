import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * What the running service and the end-to-end tests both need on top of AppModule: the OpenAPI
 * document at /docs (JSON at /docs-json) and graceful shutdown.
 */
export function configureApp<T extends INestApplication>(app: T): T {
  app.enableShutdownHooks();
  // A batch of 1,000 events is a few hundred kilobytes; Express' default limit is 100 kB.
  (app as unknown as NestExpressApplication).useBodyParser('json', { limit: '8mb' });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Concord')
      .setDescription(
        'Internal service-level agreements between marketing and sales: calendars, agreements, events, breaches, meetings. ' +
          'Every /api route needs `Authorization: Bearer <token>`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
