import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import type { ClockStep } from './domain/clock-cycles.js';

export const CLOCK_STATES = ['running', 'paused', 'stopped', 'cancelled', 'void'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];
export const CLOCK_OUTCOMES = ['pending', 'met', 'breached', 'cancelled'] as const;
export type ClockOutcome = (typeof CLOCK_OUTCOMES)[number];

/**
 * One measurement of a response target for one subject: from the event that started it to the
 * one that stopped (or cancelled) it, pinned to the agreement version in force at its start.
 * Derived from the events, so a late event recomputes it; `void` when a late event shows it never
 * started.
 */
@Entity('clocks')
@Index('UQ_clocks_start', ['subject', 'agreementId', 'startEventId'], { unique: true })
@Index('IDX_clocks_due', ['outcome', 'dueAt'])
@Index('IDX_clocks_warn', ['outcome', 'warnAt'])
@Index('IDX_clocks_agreement_started', ['agreementId', 'startedAt'])
@Index('IDX_clocks_version', ['versionId'])
export class SlaClock {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'agreement_id', type: 'varchar', length: 36 })
  agreementId: string;

  @Column({ name: 'version_id', type: 'varchar', length: 36 })
  versionId: string;

  @Column({ type: 'varchar', length: 200 })
  subject: string;

  @Column({ name: 'start_event_id', type: 'varchar', length: 36 })
  startEventId: string;

  /** 1 for the subject's first run under this agreement, 2 after it stopped and started again… */
  @Column({ type: 'integer' })
  cycle: number;

  @Column({ name: 'target_index', type: 'integer' })
  targetIndex: number;

  @Column({ name: 'target_name', type: 'varchar', length: 60 })
  targetName: string;

  /** The target in working seconds, fixed at the start (P2D from this start is this many). */
  @Column({ name: 'target_seconds', type: 'integer' })
  targetSeconds: number;

  @Column({ type: 'varchar', length: 10 })
  state: ClockState;

  @Column({ type: 'varchar', length: 10 })
  outcome: ClockOutcome;

  @Column({ name: 'started_at', type: INSTANT })
  startedAt: Date;

  /** When it stopped or was cancelled. */
  @Column({ name: 'stopped_at', type: INSTANT, nullable: true })
  stoppedAt: Date | null;

  /** When the target is reached at the present pace; null while paused, and once cancelled in time. */
  @Column({ name: 'due_at', type: INSTANT, nullable: true })
  dueAt: Date | null;

  /** When warnAtPercent of the target is reached; null while paused, without warning, or once warned. */
  @Column({ name: 'warn_at', type: INSTANT, nullable: true })
  warnAt: Date | null;

  @Column({ name: 'warned_at', type: INSTANT, nullable: true })
  warnedAt: Date | null;

  @Column({ name: 'breached_at', type: INSTANT, nullable: true })
  breachedAt: Date | null;

  /** Working seconds counted so far (at the stop, or at the last pause). */
  @Column({ name: 'elapsed_seconds', type: 'integer' })
  elapsedSeconds: number;

  @Column({ name: 'paused_seconds', type: 'integer' })
  pausedSeconds: number;

  /** Version of the calendar the times were computed on: a change of calendar recomputes them. */
  @Column({ name: 'calendar_version', type: 'integer' })
  calendarVersion: number;

  /** The events that moved the clock, in order: why it counts as met or breached. */
  @Column({ type: 'simple-json' })
  steps: ClockStep[];

  @Column({ name: 'updated_at', type: INSTANT })
  updatedAt: Date;
}
