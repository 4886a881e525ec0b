import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor } from '../access/actor.js';
import { IdParam } from '../common/id-param.js';
import { NoBody } from '../common/no-body.js';
import { PageQuery } from '../common/pagination.js';
import { CreateDepartmentDto, DepartmentPage, DepartmentView, UpdateDepartmentDto } from './departments.dto.js';
import { DepartmentsService } from './departments.service.js';

@ApiTags('departments')
@ApiBearerAuth()
@Controller('api/departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @Post()
  @ApiCreatedResponse({ type: DepartmentView })
  create(@CurrentActor() actor: Actor, @Body() body: CreateDepartmentDto): Promise<DepartmentView> {
    return this.departments.create(actor, body);
  }

  @Get()
  @ApiOkResponse({ type: DepartmentPage })
  list(@Query() query: PageQuery): Promise<DepartmentPage> {
    return this.departments.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: DepartmentView })
  get(@IdParam() id: string): Promise<DepartmentView> {
    return this.departments.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: DepartmentView })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: UpdateDepartmentDto): Promise<DepartmentView> {
    return this.departments.update(actor, id, body);
  }

  @Delete(':id')
  @NoBody()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted. A department that still has people cannot be deleted (409).' })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.departments.remove(actor, id);
  }
}
