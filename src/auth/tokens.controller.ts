import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/id-param.js';
import { NoBody } from '../common/no-body.js';
import { type Actor, CurrentActor } from '../access/actor.js';
import { CreateTokenDto, IssuedTokenView, TokenView } from './tokens.dto.js';
import { TokensService } from './tokens.service.js';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api/people/:id/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @ApiCreatedResponse({ type: IssuedTokenView, description: 'The secret is in `token`, shown this once.' })
  issue(@CurrentActor() actor: Actor, @IdParam() personId: string, @Body() body: CreateTokenDto): Promise<IssuedTokenView> {
    return this.tokens.issue(actor, personId, body);
  }

  @Get()
  @ApiOkResponse({ type: [TokenView] })
  list(@CurrentActor() actor: Actor, @IdParam() personId: string): Promise<TokenView[]> {
    return this.tokens.list(actor, personId);
  }

  @Delete(':tokenId')
  @NoBody()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked; the token no longer signs anyone in.' })
  revoke(@CurrentActor() actor: Actor, @IdParam() personId: string, @IdParam('tokenId') tokenId: string): Promise<void> {
    return this.tokens.revoke(actor, personId, tokenId);
  }
}
