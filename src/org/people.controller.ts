import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '../access/actor.js';
import { IdParam } from '../common/id-param.js';
import { NoBody } from '../common/no-body.js';
import { CreatePersonDto, PeopleQuery, PersonPage, PersonView, UpdatePersonDto } from './people.dto.js';
import { PeopleService } from './people.service.js';

@ApiTags('people')
@ApiBearerAuth()
@Controller('api/people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Post()
  @ApiCreatedResponse({ type: PersonView })
  create(@CurrentActor() actor: Actor, @Body() body: CreatePersonDto): Promise<PersonView> {
    return this.people.create(actor, body);
  }

  @Get()
  @ApiOkResponse({ type: PersonPage })
  list(@Query() query: PeopleQuery): Promise<PersonPage> {
    return this.people.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: PersonView })
  get(@IdParam() id: string): Promise<PersonView> {
    return this.people.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: PersonView })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: UpdatePersonDto): Promise<PersonView> {
    return this.people.update(actor, id, body);
  }

  @Delete(':id')
  @NoBody()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with their tokens; the audit log keeps what they were.' })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.people.remove(actor, id);
  }
}
