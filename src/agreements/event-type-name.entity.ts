import { Column, Entity, PrimaryColumn } from 'typeorm';
import { INSTANT } from '../database/columns.js';

/** The organisation's name for an event type in one language ("lead.handed_over", "ru" → "Лид передан в продажи"). */
@Entity('event_type_names')
export class EventTypeName {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  type: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  locale: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;
}
