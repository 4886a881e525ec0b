import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import type { FieldErrors } from '../common/errors.js';
import { IsInstant } from '../common/instant.validator.js';
import { PageOf, PageQuery } from '../common/pagination.js';
import type { EventAttributes, EventRecord } from './event.entity.js';

/** One event as a CRM sends it. Documentation only: events are read by readEvent, item by item. */
export class EventInputDto {
  @ApiProperty({ example: 'lead.handed_over', description: 'Dotted event type.' })
  type: string;

  @ApiProperty({ example: 'L-1042', description: 'What the event is about: the CRM id of the lead, brief…' })
  subject: string;

  @ApiProperty({ example: '2026-11-02T09:15:00+01:00', description: 'When it happened, with its offset. Clocks run on this, not on arrival.' })
  occurredAt: string;

  @ApiPropertyOptional({ example: { score: 'hot', source: 'trade-show' }, type: 'object', additionalProperties: true })
  attributes?: Record<string, string | number | boolean | null>;

  @ApiPropertyOptional({ example: 'crm-77812', description: 'Idempotency key: a repeat with the same key is a duplicate.' })
  key?: string;
}

export class EventResultView {
  @ApiProperty({ enum: ['accepted', 'duplicate', 'rejected'] }) status: 'accepted' | 'duplicate' | 'rejected';
  @ApiPropertyOptional({ format: 'uuid', description: 'The stored event (the earlier one, for a duplicate).' }) id?: string;
  @ApiPropertyOptional({ description: 'Accepted events only: whether an agreement in force measures it (false: no agreement will count it).' })
  matched?: boolean;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }) errors?: FieldErrors;
}

export class BatchResultView {
  @ApiProperty() accepted: number;
  @ApiProperty() duplicates: number;
  @ApiProperty() rejected: number;
  @ApiProperty({ description: 'Accepted events that fell under no agreement in force: no start, stop, pause, resume, cancel or count filter matched them.' })
  unmatched: number;
  @ApiProperty({ type: [EventResultView], description: 'One verdict per item, in the order sent.' }) results: EventResultView[];
}

/** `GET /api/events`: what was received, e.g. for one lead: `?subject=hs-501`. */
export class EventsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'L-1042' })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'subject must be 1 to 200 characters' })
  subject?: string;

  @ApiPropertyOptional({ example: 'lead.handed_over' })
  @IsOptional()
  @IsString()
  @Length(1, 100, { message: 'type must be 1 to 100 characters' })
  type?: string;

  @ApiPropertyOptional({ description: 'Occurred at or after this instant.' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'Occurred before this instant.' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only events received through this CRM connection.' })
  @IsOptional()
  @IsUUID('all', { message: 'connectionId must be a UUID' })
  connectionId?: string;
}

export class EventView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() type: string;
  @ApiProperty() subject: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty() receivedAt: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) attributes: EventAttributes;
  @ApiProperty({ nullable: true }) key: string | null;
  @ApiProperty({ nullable: true, format: 'uuid', description: 'The person whose token sent it.' }) sourceId: string | null;
  @ApiProperty({ nullable: true, format: 'uuid', description: 'The CRM connection it came through.' }) connectionId: string | null;

  static from(event: EventRecord): EventView {
    return {
      id: event.id,
      type: event.type,
      subject: event.subject,
      occurredAt: event.occurredAt.toISOString(),
      receivedAt: event.receivedAt.toISOString(),
      attributes: event.attributes,
      key: event.key,
      sourceId: event.sourceId,
      connectionId: event.connectionId,
    };
  }
}

export class EventPage extends PageOf(EventView) {}
