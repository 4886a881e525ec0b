import { Injectable } from '@nestjs/common';
import type { AgreementView } from './agreements.dto.js';
import { eventTypesOf } from './domain/agreement-terms.js';

/** Answers which of some event types no stored event has. */
export type UnseenTypes = (types: readonly string[]) => Promise<string[]>;

/**
 * Which event types an agreement names that were never received ("a rule or agreement naming a
 * type never seen says so"). The event log lies downstream of agreements, so what reads it
 * (connections' EventTypesService) registers here when the app starts instead of agreements
 * importing it. Unregistered (agreements alone, in a test module), it answers null: unknown.
 */
@Injectable()
export class EventTypeSightings {
  private reader?: UnseenTypes;

  register(reader: UnseenTypes): void {
    this.reader = reader;
  }

  async unseen(types: readonly string[]): Promise<string[] | null> {
    return this.reader ? this.reader(types) : null;
  }
}

/** The event types an agreement names now: its version in force and its pending one. */
export function namedTypes(agreement: Pick<AgreementView, 'inForce' | 'pending'>): string[] {
  return [...new Set([agreement.inForce, agreement.pending].flatMap((version) => (version ? eventTypesOf(version) : [])))];
}
