import type { MigrationInterface } from 'typeorm';
import { Foundation1795515153590 } from './1795515153590-Foundation.js';
import { AgreementsAndTracking1795518000000 } from './1795518000000-AgreementsAndTracking.js';
import { Notifications1795526000000 } from './1795526000000-Notifications.js';
import { BriefsAndMeetings1795532000000 } from './1795532000000-BriefsAndMeetings.js';
import { WebSessions1795540000000 } from './1795540000000-WebSessions.js';
import { PeopleAccess1795541000000 } from './1795541000000-PeopleAccess.js';
import { MeasureFrom1795550000000 } from './1795550000000-MeasureFrom.js';
import { BreachExplanations1795551000000 } from './1795551000000-BreachExplanations.js';
import { ClocksByVersion1795560000000 } from './1795560000000-ClocksByVersion.js';
import { CalendarDates1795570000000 } from './1795570000000-CalendarDates.js';
import { MeetingOpenDays1795580000000 } from './1795580000000-MeetingOpenDays.js';
import { CrmConnections1795590000000 } from './1795590000000-CrmConnections.js';
import { MeetingsSetByHand1795600000000 } from './1795600000000-MeetingsSetByHand.js';
import { DeliveryRetries1795610000000 } from './1795610000000-DeliveryRetries.js';
import { StageEntries1795620000000 } from './1795620000000-StageEntries.js';
import { ConversionAgreements1795640000000 } from './1795640000000-ConversionAgreements.js';
import { StageEntryAttributes1795650000000 } from './1795650000000-StageEntryAttributes.js';
import { BreachesWaiting1795700000000 } from './1795700000000-BreachesWaiting.js';
import { PeopleLocale1795710000000 } from './1795710000000-PeopleLocale.js';
import { EventTypeNames1795722000000 } from './1795722000000-EventTypeNames.js';
import { TrackingQueue1795745000317 } from './1795745000317-TrackingQueue.js';
import { OpenSqlsOldestFirst1795760000000 } from './1795760000000-OpenSqlsOldestFirst.js';
import { EventsBySubjectWithType1795770000000 } from './1795770000000-EventsBySubjectWithType.js';
import { EventsByConnectionPartial1795780000000 } from './1795780000000-EventsByConnectionPartial.js';
import { FunnelClockRollups1795690000000 } from './1795690000000-FunnelClockRollups.js';
import { FunnelRollups1795680000000 } from './1795680000000-FunnelRollups.js';
import { ComplianceRollups1795667000000 } from './1795667000000-ComplianceRollups.js';

/**
 * Every migration, oldest first. Listed by hand rather than globbed so the same list works in
 * the compiled service, the CLI and the tests. Never edit a migration that has landed: add one.
 * A new migration takes its time column type from `instantTypeFor` (database/columns.ts), the
 * choice the entities' INSTANT makes; those up to BreachExplanations compute it inline, the same way.
 */
export const MIGRATIONS: (new () => MigrationInterface)[] = [Foundation1795515153590, AgreementsAndTracking1795518000000, Notifications1795526000000, BriefsAndMeetings1795532000000, WebSessions1795540000000, PeopleAccess1795541000000, MeasureFrom1795550000000, BreachExplanations1795551000000, ClocksByVersion1795560000000, CalendarDates1795570000000, MeetingOpenDays1795580000000, CrmConnections1795590000000, MeetingsSetByHand1795600000000, DeliveryRetries1795610000000, StageEntries1795620000000, ConversionAgreements1795640000000, StageEntryAttributes1795650000000, ComplianceRollups1795667000000, FunnelRollups1795680000000, FunnelClockRollups1795690000000, BreachesWaiting1795700000000, PeopleLocale1795710000000, EventTypeNames1795722000000, TrackingQueue1795745000317, OpenSqlsOldestFirst1795760000000, EventsBySubjectWithType1795770000000, EventsByConnectionPartial1795780000000];
