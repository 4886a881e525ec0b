import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { requestTurns } from './common/request-turns.js';
import { AppConfig } from './config/app-config.js';
import { publicDirectory } from './web/public-directory.js';

/** Whether a path's routes may read cookies: every path but the API's and the CRM hooks'. */
export function readsCookies(path: string): boolean {
  return !(path.startsWith('/api/') || path === '/api' || path.startsWith('/hooks/'));
}

/**
 * What the running service and the end-to-end tests both need on top of AppModule: the OpenAPI
 * document at /docs (JSON at /docs-json), graceful shutdown, the proxies to trust, and for the
 * pages: cookies, form posts, the stylesheet and script under /assets, and strict security
 * headers (helmet; the pages load nothing from elsewhere, so the content security policy allows
 * only this origin).
 */
export function configureApp<T extends INestApplication>(app: T): T {
  app.enableShutdownHooks();
  const express = app as unknown as NestExpressApplication;
  // Behind a proxy the socket's address is the proxy's: TRUST_PROXY lets X-Forwarded-For name the
  // client, so the limits per address count the client, not the proxy.
  const trustProxy = app.get(AppConfig).trustProxy;
  if (trustProxy !== false) express.set('trust proxy', trustProxy);
  // Before anything reads a request: each starts in a turn of the event loop of its own, so
  // requests are served in the order they came and /health answers within one request's time.
  express.use(requestTurns((path) => path === '/health'));
  // CRM deliveries (/hooks/…) are read raw, whatever their type: signatures are computed over the
  // exact bytes, and each connection's adapter parses its CRM's format. Before the JSON parser, so
  // it takes them first; the same 8 MB limit.
  express.useBodyParser('raw', { type: (request) => ((request as Request).originalUrl ?? request.url ?? '').startsWith('/hooks/'), limit: '8mb' });
  // A batch of 1,000 events is a few hundred kilobytes; Express' default limit is 100 kB.
  express.useBodyParser('json', { limit: '8mb' });
  // Forms post nested fields (goals[0][target]); qs parsing turns them back into objects.
  express.useBodyParser('urlencoded', { extended: true, limit: '1mb', parameterLimit: 5000 });
  // Cookies are the pages' (session, language, CSRF); the API and the CRM hooks authenticate by
  // header and never read them, so their requests skip the parsing.
  const parseCookies = cookieParser();
  express.use((request: Request, response: Response, next: NextFunction) => (readsCookies(request.path) ? parseCookies(request, response, next) : next()));
  const pageHeaders = helmet({
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], formAction: ["'self'"], frameAncestors: ["'none'"], upgradeInsecureRequests: null },
    },
    strictTransportSecurity: false,
  });
  // Swagger UI at /docs runs inline scripts of its own; every other answer gets the strict headers.
  express.use((request: Request, response: Response, next: NextFunction) => (request.path.startsWith('/docs') ? next() : pageHeaders(request, response, next)));
  express.useStaticAssets(publicDirectory(), { prefix: '/assets/', maxAge: '1h' });
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
