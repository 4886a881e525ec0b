import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { IsTimeZone } from '../calendars/timezone.validator.js';
import { IsOptionalNotNull } from '../common/validation.js';
import { PageOf } from '../common/pagination.js';
import type { Department } from './department.entity.js';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class CreateDepartmentDto {
  @ApiProperty({ example: 'Marketing' })
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiPropertyOptional({ example: 'marketing', description: 'Defaults to the name, lower-cased and hyphenated.' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 60)
  @Matches(SLUG_PATTERN, { message: 'slug must be lower-case letters and digits separated by single hyphens' })
  slug?: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: "Defaults to the calendar's time zone." })
  @IsOptionalNotNull()
  @IsTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Default business calendar.' })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsUUID()
  calendarId?: string | null;
}

/** Every field optional; a field sent as null is checked (and refused) unless it may be null. */
export class UpdateDepartmentDto extends PartialType(CreateDepartmentDto, { skipNullProperties: false }) {}

export class DepartmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty() timezone: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) calendarId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The head of the department, if any.' })
  headId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(this: void, department: Department, headId: string | null): DepartmentView {
    return {
      id: department.id,
      name: department.name,
      slug: department.slug,
      timezone: department.timezone,
      calendarId: department.calendarId,
      headId,
      createdAt: department.createdAt.toISOString(),
      updatedAt: department.updatedAt.toISOString(),
    };
  }
}

export class DepartmentPage extends PageOf(DepartmentView) {}
