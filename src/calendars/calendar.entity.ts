import { Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';
import type { TimeRange, Weekday } from './business-time/index.js';
import { INSTANT } from '../database/columns.js';

/** A business calendar as stored: the definition people wrote, versioned on every change. */
@Entity('calendars')
export class Calendar {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  timezone: string;

  @Column({ type: 'simple-json' })
  hours: Partial<Record<Weekday, TimeRange[]>>;

  @Column({ type: 'simple-json' })
  holidays: string[];

  @Column({ name: 'holiday_preset', type: 'varchar', length: 20, nullable: true })
  holidayPreset: string | null;

  @Column({ type: 'simple-json' })
  breaks: Record<string, TimeRange[]>;

  /** Dated hours: a date's own working hours, replacing its weekday's, the preset and breaks; `[]` closes it. */
  @Column({ type: 'simple-json', default: '{}' })
  dates: Record<string, TimeRange[]>;

  /** Bumped on every change, so compiled calendars cached by (id, version) never go stale. */
  @VersionColumn()
  version: number;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;
}
