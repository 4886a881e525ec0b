import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsIn, IsObject, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsInstant } from '../common/instant.validator.js';
import { PageOf, PageQuery } from '../common/pagination.js';
import { IsOptionalNotNull } from '../common/validation.js';
import { CONNECTION_KINDS, type ConnectionKind } from './adapters/crm-adapter.js';
import { DELIVERY_OUTCOMES, type DeliveryOutcome } from './connection.entity.js';
import type { AttributeMapping, ConnectionRule } from './rules.js';

export const RULES_EXAMPLE: ConnectionRule[] = [
  { on: { object: 'contact', property: 'hs_lead_status', to: 'NEW' }, emit: 'lead.handed_over' },
  { on: { object: 'contact', property: 'hs_lead_status', to: ['CONNECTED', 'IN_PROGRESS'] }, emit: 'lead.contacted' },
  { on: { object: 'contact', property: 'lifecyclestage', to: 'marketingqualifiedlead' }, emit: 'lead.mql' },
];

const RULES_DESCRIPTION =
  'Each rule matches a change of a CRM object type whose `property` became `to` (a text or a list of texts; values are compared as text), ' +
  'optionally only from `from`, and emits an event of type `emit`. HubSpot creations are the property `$created` becoming "true".';
const SECRET_DESCRIPTION =
  'HubSpot: the app\'s client secret; Pipedrive: the Basic password; Bitrix24: the application token (may be left out at creation and ' +
  'set by PATCH once Bitrix24 shows it: deliveries are 401 until then); webhook, amoCRM, Salesforce: left out, one is generated and ' +
  'shown once (amoCRM and Salesforce carry it in the URL).';
const SETTINGS_DESCRIPTION =
  'Kind-specific values, checked by name: bitrix24 `restUrl` (required: the portal\'s inbound webhook URL: https on a public address, or also http and private addresses with CRM_ALLOW_PRIVATE_HOSTS), ' +
  'salesforce `organizationId` (optional: 15 or 18 characters), pipedrive `user` (optional: the Basic user). Other kinds take none.';

export class CreateConnectionDto {
  @ApiProperty({ example: 'HubSpot' })
  @IsString()
  @Length(1, 120, { message: 'name must be 1 to 120 characters' })
  name: string;

  @ApiProperty({ enum: CONNECTION_KINDS })
  @IsIn(CONNECTION_KINDS, { message: `kind must be one of ${CONNECTION_KINDS.join(', ')}` })
  kind: ConnectionKind;

  @ApiPropertyOptional({ description: SECRET_DESCRIPTION })
  @IsOptionalNotNull()
  @IsString()
  @Length(8, 500, { message: 'secret must be 8 to 500 characters' })
  secret?: string;

  @ApiPropertyOptional({ example: 'hs-', description: 'Put before the CRM object id to make the event subject (default: none).' })
  @IsOptionalNotNull()
  @IsString()
  @Length(0, 60, { message: 'subjectPrefix must be at most 60 characters' })
  @Matches(/^[\x21-\x7e]*$/, { message: 'subjectPrefix must be printable ASCII without spaces' })
  subjectPrefix?: string;

  @ApiPropertyOptional({ description: 'Admins only: the department whose head manages it. A head\'s connection is their department\'s.', format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID('all', { message: 'departmentId must be a UUID' })
  departmentId?: string;

  @ApiPropertyOptional({ example: RULES_EXAMPLE, description: RULES_DESCRIPTION, type: 'array', items: { type: 'object' } })
  @IsOptionalNotNull()
  @IsArray({ message: 'rules must be a list of { on: { object, property, to }, emit }' })
  rules?: unknown[];

  @ApiPropertyOptional({ example: { score: 'lead_temperature', source: 'hs_analytics_source' }, type: 'object', additionalProperties: { type: 'string' } })
  @IsOptionalNotNull()
  @IsObject({ message: 'attributes must be an object of event attribute → CRM property' })
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ example: {}, description: SETTINGS_DESCRIPTION, type: 'object', additionalProperties: { type: 'string' } })
  @IsOptionalNotNull()
  @IsObject({ message: 'settings must be an object of name → text' })
  settings?: Record<string, unknown>;
}

export class UpdateConnectionDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 120, { message: 'name must be 1 to 120 characters' })
  name?: string;

  @ApiPropertyOptional({ description: 'A new secret replaces the old one.' })
  @IsOptionalNotNull()
  @IsString()
  @Length(8, 500, { message: 'secret must be 8 to 500 characters' })
  secret?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Length(0, 60, { message: 'subjectPrefix must be at most 60 characters' })
  @Matches(/^[\x21-\x7e]*$/, { message: 'subjectPrefix must be printable ASCII without spaces' })
  subjectPrefix?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'departmentId must be a UUID' })
  departmentId?: string | null;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object' } })
  @IsOptionalNotNull()
  @IsArray({ message: 'rules must be a list of { on: { object, property, to }, emit }' })
  rules?: unknown[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptionalNotNull()
  @IsObject({ message: 'attributes must be an object of event attribute → CRM property' })
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ description: `${SETTINGS_DESCRIPTION} Replaces all of them.`, type: 'object', additionalProperties: { type: 'string' } })
  @IsOptionalNotNull()
  @IsObject({ message: 'settings must be an object of name → text' })
  settings?: Record<string, unknown>;
}

export class ConnectionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CONNECTION_KINDS }) kind: ConnectionKind;
  @ApiProperty({ format: 'uuid', nullable: true }) departmentId: string | null;
  @ApiProperty() subjectPrefix: string;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) rules: ConnectionRule[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) attributes: AttributeMapping;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) settings: Record<string, string>;
  @ApiProperty({
    description: 'The URL to paste into the CRM. For amoCRM and Salesforce it ends with the secret: shown in full only when created; later `<secret>` stands for it.',
  })
  webhookUrl: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiPropertyOptional({
    type: [String],
    description: "GET, POST and PATCH only: the event types the rules emit that no stored event has (a typo, or nothing sent yet).",
  })
  unseenTypes?: string[];
}

export class ConnectionSavedView extends ConnectionView {
  @ApiPropertyOptional({ description: 'The generated secret: shown this once, never again.' }) secret?: string;
  @ApiProperty({ type: [String], description: 'Rules emitting an event type no agreement or funnel stage uses.' }) warnings: string[];
}

export class ConnectionPage extends PageOf(ConnectionView) {}

export class DeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_OUTCOMES })
  @IsOptional()
  @IsIn(DELIVERY_OUTCOMES, { message: `outcome must be one of ${DELIVERY_OUTCOMES.join(', ')}` })
  outcome?: DeliveryOutcome;

  @ApiPropertyOptional({ description: 'Received at or after this instant (ISO 8601 with offset).', example: '2026-11-02T00:00:00+01:00' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'Received before this instant (ISO 8601 with offset).', example: '2026-11-03T00:00:00+01:00' })
  @IsOptional()
  @IsInstant()
  to?: string;
}

export class DeliveryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) connectionId: string;
  @ApiProperty() receivedAt: string;
  @ApiProperty({ enum: DELIVERY_OUTCOMES }) outcome: DeliveryOutcome;
  @ApiProperty({ nullable: true }) reason: string | null;
  @ApiProperty({ type: [String], description: 'The events it produced.' }) eventIds: string[];
  @ApiProperty() method: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) headers: Record<string, string>;
  @ApiProperty({ description: 'The raw body, as text (bodyEncoding utf8) or base64.' }) body: string;
  @ApiProperty({ enum: ['utf8', 'base64'] }) bodyEncoding: 'utf8' | 'base64';
  @ApiProperty({ nullable: true }) processedAt: string | null;
  @ApiProperty({ description: 'Times it was processed: on arrival, by replay, by the automatic retry.' }) attempts: number;
  @ApiProperty({ nullable: true, description: 'When a failed delivery of a kind that reads its CRM back (Bitrix24) is retried automatically; null: not.' })
  retryAt: string | null;
}

export class DeliveryPage extends PageOf(DeliveryView) {}

export class EventTypeView {
  @ApiProperty() type: string;
  @ApiProperty() count: number;
  @ApiProperty({ nullable: true, description: 'When the first event of this type was received (null: never seen).' }) firstSeen: string | null;
  @ApiProperty({ nullable: true }) lastSeen: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Agreements whose terms name it: { id, name }.' }) agreements: { id: string; name: string }[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Connection rules that emit it: { connectionId, connectionName, rule }.' })
  rules: { connectionId: string; connectionName: string; rule: number }[];
}

export class EventTypesView {
  @ApiProperty({ type: [EventTypeView] }) items: EventTypeView[];
}

export const TEST_CONTENT_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'text/xml'] as const;

export class TestConnectionDto {
  @ApiProperty({
    description: 'A sample delivery body as the CRM sends it: JSON (HubSpot, Pipedrive, webhook), a form (amoCRM, Bitrix24) or SOAP XML (Salesforce). Nothing is stored.',
    example: '[{"eventId":1,"subscriptionType":"contact.propertyChange","objectId":101,"propertyName":"hs_lead_status","propertyValue":"CONNECTED","occurredAt":1772445600000}]',
  })
  @IsString({ message: 'body must be the sample payload as text' })
  @Length(1, 1_000_000, { message: 'body must be 1 to 1000000 characters' })
  body: string;

  @ApiPropertyOptional({ enum: TEST_CONTENT_TYPES, description: "Default: the kind's own (form for amoCRM and Bitrix24, text/xml for Salesforce, else JSON)." })
  @IsOptional()
  @IsIn(TEST_CONTENT_TYPES, { message: `contentType must be one of ${TEST_CONTENT_TYPES.join(', ')}` })
  contentType?: (typeof TEST_CONTENT_TYPES)[number];
}

export class TestEventView {
  @ApiProperty() type: string;
  @ApiProperty() subject: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty() key: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', nullable: true } }) attributes: Record<string, string | null>;
}

export class ConnectionTestView {
  @ApiProperty({ description: 'Whether the adapter could read the sample.' }) ok: boolean;
  @ApiProperty({ nullable: true, description: 'Why it could not be read, or why no event came out.' }) reason: string | null;
  @ApiProperty({ description: 'CRM changes read from the sample.' }) changes: number;
  @ApiProperty({ description: 'True when the kind reads current values from the CRM (Bitrix24): that call is skipped in a test, so its changes carry no values and match no rule.' })
  resolveSkipped: boolean;
  @ApiProperty({ type: [TestEventView], description: 'The events the sample would produce (the generic webhook: the events as given, not yet validated). Nothing is stored.' })
  events: TestEventView[];
  @ApiProperty({ type: [String], description: 'Notes on the run (a skipped resolve).' }) notes: string[];
}

/** Deliveries per connection, for the list of connections. */
export interface DeliverySummary {
  total: number;
  byOutcome: Partial<Record<DeliveryOutcome, number>>;
  last: { receivedAt: string; outcome: DeliveryOutcome } | null;
}
