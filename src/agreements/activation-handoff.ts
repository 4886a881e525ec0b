import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What happens, inside the approving transaction, when a version of an agreement comes into force. */
export interface ActivationHandler {
  onVersionActivated(manager: EntityManager, agreementId: string): Promise<unknown>;
}

/**
 * Where an approval hands the version that just came into force, inside its transaction.
 * Tracking lies downstream of agreements (it measures them), so it registers itself here when
 * the app starts (VersionActivation.onModuleInit) instead of agreements importing tracking.
 */
@Injectable()
export class ActivationHandoff {
  private handler?: ActivationHandler;

  register(handler: ActivationHandler): void {
    if (this.handler && this.handler !== handler) throw new Error('versions coming into force are already handled by another service');
    this.handler = handler;
  }

  async onVersionActivated(manager: EntityManager, agreementId: string): Promise<void> {
    // A missing handler would put a version in force that nothing measures: refuse rather than lose clocks.
    if (!this.handler) throw new Error('no handler registered for versions coming into force (is TrackingModule imported and the app initialised?)');
    await this.handler.onVersionActivated(manager, agreementId);
  }
}
