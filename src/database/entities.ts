import { ApiToken } from '../auth/api-token.entity.js';
import { AuditEntry } from '../audit/audit-entry.entity.js';
import { Calendar } from '../calendars/calendar.entity.js';
import { Department } from '../org/department.entity.js';
import { Person } from '../org/person.entity.js';

/** Every entity, listed once for the application, the migration CLI and the schema tests. */
export const ENTITIES = [ApiToken, AuditEntry, Calendar, Department, Person];
