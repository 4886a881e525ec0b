import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { TOKEN_SCOPES, type TokenScope } from '../access/token-scopes.js';
import type { ApiToken } from './api-token.entity.js';

export class CreateTokenDto {
  @ApiProperty({ example: 'CRM integration', description: 'What the token is for, to tell tokens apart.' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({
    enum: TOKEN_SCOPES,
    default: 'full',
    description: '`full`: everything the person may do; `events:write`: only send events (for integrations).',
  })
  @IsOptional()
  @IsIn(TOKEN_SCOPES)
  scope?: TokenScope;
}

export class TokenView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: TOKEN_SCOPES }) scope: TokenScope;
  @ApiProperty({ example: 'cnc_Xy12ab', description: 'The first characters of the token.' }) prefix: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;

  static from(this: void, token: ApiToken): TokenView {
    return {
      id: token.id,
      personId: token.personId,
      name: token.name,
      scope: token.scope,
      prefix: token.prefix,
      createdAt: token.createdAt.toISOString(),
      lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
      revokedAt: token.revokedAt?.toISOString() ?? null,
    };
  }
}

export class IssuedTokenView extends TokenView {
  @ApiProperty({ description: 'The secret. Shown this once: only its hash is kept.', example: 'cnc_…' })
  token: string;
}
