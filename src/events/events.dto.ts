import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FieldErrors } from '../common/errors.js';

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
