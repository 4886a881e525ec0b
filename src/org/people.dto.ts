import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { IsTimeZone } from '../calendars/timezone.validator.js';
import { LOCALES } from '../i18n/locales.js';
import { IsOptionalNotNull } from '../common/validation.js';
import { PageOf, PageQuery } from '../common/pagination.js';
import { ROLES, type Role } from '../access/roles.js';
import type { Person } from './person.entity.js';

export class CreatePersonDto {
  @ApiProperty({ example: 'Camille Martin' })
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiProperty({ example: 'camille.martin@example.com' })
  @IsEmail()
  @Length(3, 254)
  email: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Required for heads and members.' })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsUUID()
  departmentId?: string | null;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: "Defaults to the department's time zone." })
  @IsOptionalNotNull()
  @IsTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ enum: LOCALES, nullable: true, type: String, description: "The language the person reads Concord in; null (or left out) follows the organisation's DEFAULT_LOCALE." })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsIn(LOCALES, { message: `locale must be one of ${LOCALES.join(', ')}` })
  locale?: string | null;
}

/** Every field optional; a field sent as null is checked (and refused) unless it may be null. */
export class UpdatePersonDto extends PartialType(CreatePersonDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({ description: 'Admins only. false takes the person\'s access away (tokens, sessions, sign-in links); true gives it back.' })
  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class PeopleQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}

export class PersonView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) departmentId: string | null;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() timezone: string;
  @ApiProperty({ enum: LOCALES, nullable: true, type: String, description: "null: the organisation's DEFAULT_LOCALE." }) locale: string | null;
  @ApiProperty({ description: 'false once an admin has taken the person\'s access away.' }) active: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(this: void, person: Person): PersonView {
    return {
      id: person.id,
      name: person.name,
      email: person.email,
      departmentId: person.departmentId,
      role: person.role,
      timezone: person.timezone,
      locale: person.locale ?? null,
      active: !person.deactivatedAt,
      createdAt: person.createdAt.toISOString(),
      updatedAt: person.updatedAt.toISOString(),
    };
  }
}

export class PersonPage extends PageOf(PersonView) {}
