import { AgreementApproval } from '../agreements/agreement-approval.entity.js';
import { AgreementVersion } from '../agreements/agreement-version.entity.js';
import { Agreement } from '../agreements/agreement.entity.js';
import { FunnelStage } from '../agreements/funnel-stage.entity.js';
import { ApiToken } from '../auth/api-token.entity.js';
import { AuditEntry } from '../audit/audit-entry.entity.js';
import { Calendar } from '../calendars/calendar.entity.js';
import { EventRecord } from '../events/event.entity.js';
import { Notification } from '../notifications/notification.entity.js';
import { Subscription } from '../notifications/subscription.entity.js';
import { Department } from '../org/department.entity.js';
import { Person } from '../org/person.entity.js';
import { Breach } from '../tracking/breach.entity.js';
import { QuotaPeriod } from '../tracking/quota-period.entity.js';
import { SlaClock } from '../tracking/sla-clock.entity.js';

/** Every entity, listed once for the application, the migration CLI and the schema tests. */
export const ENTITIES = [
  Agreement,
  AgreementApproval,
  AgreementVersion,
  ApiToken,
  AuditEntry,
  Breach,
  Calendar,
  Department,
  EventRecord,
  FunnelStage,
  Notification,
  Person,
  QuotaPeriod,
  SlaClock,
  Subscription,
];
