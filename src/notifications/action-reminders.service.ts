import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, In } from 'typeorm';
import { DueWork } from '../common/due-work.js';
import { AppConfig } from '../config/app-config.js';
import { MeetingOutcome } from '../meetings/meeting-records.entity.js';
import { Person } from '../org/person.entity.js';
import { OutboxService, type OutboxEntry } from './outbox.service.js';
import { localToday } from '../meetings/domain/action-dates.js';

/**
 * Action items between meetings: a reminder to the owner ACTION_REMINDER_DAYS before the due
 * date, and an overdue alert the day after it, each once per due date (a new date, a new
 * reminder). Days are the owner's own. Queued in every round of due work, after the reports.
 */
@Injectable()
export class ActionRemindersService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    private readonly dueWork: DueWork,
  ) {}

  onModuleInit(): void {
    this.dueWork.register('reminders', async (now) => ({ actionReminders: await this.enqueueDue(now) }));
  }

  async enqueueDue(now: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const open = await manager.find(MeetingOutcome, { where: { type: 'action', status: 'open' } });
      const owners = new Map(
        (await manager.find(Person, { where: { id: In([...new Set(open.map((a) => a.ownerId).filter((id): id is string => !!id)), '']) } })).map((p) => [p.id, p]),
      );
      const entries: OutboxEntry[] = [];
      for (const action of open) {
        const owner = action.ownerId ? owners.get(action.ownerId) : undefined;
        if (!owner || !action.dueOn) continue;
        const today = localToday(now, owner.timezone);
        const remindFrom = DateTime.fromISO(action.dueOn).minus({ days: this.config.ACTION_REMINDER_DAYS }).toISODate() as string;
        const kind = today > action.dueOn ? 'action-overdue' : today >= remindFrom ? 'action-reminder' : null;
        if (!kind) continue;
        entries.push({
          kind,
          dedupeKey: `${kind}:${action.id}:${action.dueOn}`,
          referenceId: action.id,
          recipientId: owner.id,
          recipientEmail: owner.email,
          payload: { dueOn: action.dueOn },
        });
      }
      await this.outbox.enqueue(manager, entries);
      return entries.length;
    });
  }
}
