import { AgreementApproval } from '../agreements/agreement-approval.entity.js';
import { AgreementVersion } from '../agreements/agreement-version.entity.js';
import { Agreement } from '../agreements/agreement.entity.js';
import { FunnelStage } from '../agreements/funnel-stage.entity.js';
import { EventTypeName } from '../agreements/event-type-name.entity.js';
import { ApiToken } from '../auth/api-token.entity.js';
import { SignInLink, WebSession } from '../auth/web-session.entity.js';
import { BriefEntry } from '../briefs/brief-entry.entity.js';
import { Brief } from '../briefs/brief.entity.js';
import { MeetingParticipant } from '../meetings/meeting-participant.entity.js';
import { AgendaItem, MeetingAttendance, MeetingOutcome, MinutesRevision } from '../meetings/meeting-records.entity.js';
import { MeetingSeries } from '../meetings/meeting-series.entity.js';
import { Meeting } from '../meetings/meeting.entity.js';
import { AuditEntry } from '../audit/audit-entry.entity.js';
import { Calendar } from '../calendars/calendar.entity.js';
import { Connection, ConnectionDelivery, ConnectionObjectProperty } from '../connections/connection.entity.js';
import { EventRecord } from '../events/event.entity.js';
import { TrackingQueueRow } from '../events/tracking-queue.entity.js';
import { Notification } from '../notifications/notification.entity.js';
import { Subscription } from '../reports/subscription.entity.js';
import { Department } from '../org/department.entity.js';
import { Person } from '../org/person.entity.js';
import { BreachExplanation, BreachReview } from '../tracking/breach-explanation.entity.js';
import { Breach } from '../tracking/breach.entity.js';
import { ComplianceRollup } from '../tracking/compliance-rollup.entity.js';
import { ConversionPeriod } from '../tracking/conversion-period.entity.js';
import { QuotaPeriod } from '../tracking/quota-period.entity.js';
import { SlaClock } from '../tracking/sla-clock.entity.js';
import { FunnelClockRollup, FunnelRollup, OpenSql } from '../tracking/funnel-rollup.entity.js';
import { StageEntry } from '../tracking/stage-entry.entity.js';

/** Every entity, listed once for the application, the migration CLI and the schema tests. */
export const ENTITIES = [
  AgendaItem,
  Brief,
  BriefEntry,
  Meeting,
  MeetingAttendance,
  MeetingOutcome,
  MeetingParticipant,
  MeetingSeries,
  MinutesRevision,
  Agreement,
  AgreementApproval,
  AgreementVersion,
  ApiToken,
  AuditEntry,
  Breach,
  BreachExplanation,
  BreachReview,
  Calendar,
  ComplianceRollup,
  Connection,
  ConnectionDelivery,
  ConversionPeriod,
  ConnectionObjectProperty,
  Department,
  EventRecord,
  TrackingQueueRow,
  EventTypeName,
  FunnelStage,
  Notification,
  Person,
  QuotaPeriod,
  SignInLink,
  SlaClock,
  StageEntry,
  FunnelRollup,
  FunnelClockRollup,
  OpenSql,
  Subscription,
  WebSession,
];
