import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What happens, inside the transaction that changed it, when the event entering a stage changes. */
export interface StageEntryHandler {
  onEnteredOnChanged(manager: EntityManager, stageId: string): Promise<unknown>;
  /** Stages were added, moved or deleted (the first counted stage may be another). */
  onStagesChanged(manager: EntityManager): Promise<unknown>;
}

/**
 * Where a change of a stage's `enteredOn` is handed on, inside its transaction, so the stage's
 * entries are rebuilt from the stored events before anyone reads them. Tracking keeps the entries
 * and lies downstream of agreements, so it registers itself here when the app starts
 * (StageEntriesService.onModuleInit) instead of agreements importing tracking.
 */
@Injectable()
export class StageEntryHandoff {
  private handler?: StageEntryHandler;

  register(handler: StageEntryHandler): void {
    if (this.handler && this.handler !== handler) throw new Error('stage entries are already kept by another service');
    this.handler = handler;
  }

  async onEnteredOnChanged(manager: EntityManager, stageId: string): Promise<void> {
    // A missing handler would leave a stage counting nothing, or the entries of its old filter.
    if (!this.handler) throw new Error('no handler registered for stage entries (is TrackingModule imported and the app initialised?)');
    await this.handler.onEnteredOnChanged(manager, stageId);
  }

  async onStagesChanged(manager: EntityManager): Promise<void> {
    if (!this.handler) throw new Error('no handler registered for stage entries (is TrackingModule imported and the app initialised?)');
    await this.handler.onStagesChanged(manager);
  }
}
