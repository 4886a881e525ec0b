/**
 * What a CRM connection's adapter does with one delivery, as pure functions: tell whether the
 * request really comes from the CRM (verify), and read what changed (parse). The connections
 * service stores every delivery first, then runs these, then maps the changes to Concord events
 * through the connection's rules (rules.ts) and the objects' last known properties.
 * Adapters import nothing from Nest or TypeORM, so each CRM's format is unit-tested on its own.
 */

export const CONNECTION_KINDS = ['hubspot', 'pipedrive', 'amocrm', 'bitrix24', 'salesforce', 'webhook'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

/** One HTTP request to a connection's webhook URL, as received. */
export interface IncomingDelivery {
  method: string;
  /**
   * The connection's webhook URL exactly as the CRM was told to call it (absolute, built from
   * PUBLIC_URL, never from the request's Host header), plus the request's query string if any.
   */
  url: string;
  /** The secret segment of `/hooks/<id>/<secret>`, for CRMs that cannot sign (amoCRM, Salesforce). */
  pathSecret?: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  rawBody: Buffer;
  /** Media type in lower case without parameters, e.g. "application/json". */
  contentType: string;
  /** From the injected clock. */
  receivedAt: Date;
}

/** What the connection keeps to verify and read deliveries, decrypted for the adapter. */
export interface ConnectionSecrets {
  /** HubSpot client secret, Pipedrive Basic password, amoCRM/Salesforce URL secret, Bitrix24 application token, webhook HMAC key. */
  secret: string;
  /** Kind-specific settings, e.g. bitrix24 `restUrl`, salesforce `organizationId`. */
  settings: Readonly<Record<string, string>>;
}

export type Verification = { ok: true } | { ok: false; reason: string };

/** One change of one CRM object, as the CRM told it. Values are compared as text. */
export interface CrmChange {
  /** Unique per change and stable across the CRM's retries: becomes the event key. */
  key: string;
  /** Object type in lower case: "contact", "deal", "lead", "person", … */
  object: string;
  objectId: string;
  /** The CRM's own time of the change (never the arrival time). */
  occurredAt: Date;
  /** Properties this change set, with their new values. */
  changed: Readonly<Record<string, string | null>>;
  /** Old values of changed properties, where the CRM tells them (Pipedrive `previous`, amoCRM `old_status_id`). */
  previous?: Readonly<Record<string, string | null>>;
  /** Other current values the payload carries (not changes): they update the object's last known properties. */
  known?: Readonly<Record<string, string | null>>;
}

export type Parsed =
  /** `events`: Concord events given as such (the generic `webhook` kind), validated downstream like any API input. */
  | { ok: true; changes: CrmChange[]; events?: unknown[] }
  | { ok: false; reason: string };

/** The answer a verified delivery gets (Salesforce's sender retries until it reads a SOAP Ack). */
export interface Acknowledgement {
  status: number;
  contentType: string;
  body: string;
}

export interface CrmAdapter {
  readonly kind: ConnectionKind;
  /** Forged, missing or stale → { ok: false } (401, nothing stored). Constant-time comparisons. */
  verify(delivery: IncomingDelivery, secrets: ConnectionSecrets): Verification;
  /** Malformed (after verification) → { ok: false } (400, logged in the delivery log). */
  parse(delivery: IncomingDelivery, secrets: ConnectionSecrets): Parsed;
  /** Default: 200 with `{ "received": n }` JSON, written by the service. */
  acknowledge?(parsed: Parsed): Acknowledgement;
  /**
   * For CRMs whose deliveries carry only ids (Bitrix24): reads the objects' current values through
   * the CRM's API with the given fetch, and returns the changes with `changed` filled.
   */
  resolve?(changes: CrmChange[], secrets: ConnectionSecrets, fetch: typeof globalThis.fetch, options?: ResolveOptions): Promise<CrmChange[]>;
}

/** How resolve() may spend its time: short while the CRM waits for the answer, longer in the background. */
export interface ResolveOptions {
  /** Longest wait for one call to the CRM, in milliseconds (the adapter's own default when unset). */
  timeoutMs?: number;
}
