/**
 * CRM deliveries: HubSpot webhook deliveries of 100 property changes each to `POST /hooks/:id`
 * (signature v3 verified, stored raw, read, mapped through the connection's rules and the objects'
 * last known properties, ingested as events that run clocks) against `POST /api/events` with the
 * very events those deliveries produce. Goal (issue 13): the deliveries reach ≥ 70 % of the
 * API's rate.
 *
 * Two Concords built from AppModule, each on its own fresh SQLite file (WAL, as in production),
 * listening on 127.0.0.1, sweeps off, sharing one bench clock. Each has the org of the examples
 * and "Hot leads are called fast" (hot 1 h, warm 4 h, else 2 business days, Paris office hours)
 * signed over the API; the first also has a HubSpot connection (sales department, subject prefix
 * `hs-`) with the rules hs_lead_status NEW → lead.handed_over, CONNECTED → lead.contacted and
 * the attribute score ← lead_temperature.
 *
 * Why two databases and not one app with two prefixes: ingestion slows as the stored events and
 * clocks grow, so whichever side ran second in a shared database would pay for the other's rows.
 * The requests are interleaved — delivery i to the first, then the same events to the second (the
 * order swapped every other pair) — so both databases grow alike and machine noise (other
 * processes, disk) falls on both sides equally. Each side's time is the sum of its own requests.
 *
 * Changes (seeded PRNG), contacts handed over on weekdays 10:00–12:00 Paris between 2 February
 * and 20 March 2026: 80 % get a lead_temperature (hot, warm or cold) a minute before
 * hs_lead_status NEW; then CONNECTED 10 minutes later (met), 6 days later (breached), or never
 * (breached, still running); a fifth of the contacted ones get a new temperature in between, so
 * lead.contacted carries the newer score. Every change is one HubSpot event
 * (`contact.propertyChange`, HubSpot's own JSON), all in time order, cut into deliveries of 100.
 *
 * The API side gets, per delivery, one array with exactly the events that delivery produces
 * (same types, subjects `hs-<objectId>`, occurredAt, attributes and keys — the connection's own
 * event keys): the same requests, the same events per request, so the ratio is what the
 * connection path costs on top of ingesting them (temperature-only changes produce no event; an
 * array carries about 65). Rates are in stored events per second on both sides.
 *
 * Each delivery is signed (base64 HMAC-SHA256 of POST + the connection's webhook URL + body +
 * timestamp) just before it is sent, with a timestamp read from the bench clock, which steps one
 * second per pair of requests and always lies after the last event.
 *
 * Verification before any figure is printed: every delivery answered 200 with 100 received,
 * `accepted` and the events expected, every array 200 with all accepted; the delivery log holds
 * one `accepted` delivery per request; both databases hold the same events (type, subject,
 * instant, key, attributes, compared row by row) in the number generated, and the clocks and
 * outcomes the generator expects.
 *
 * Size: BENCH_CONNECTION_EVENTS HubSpot changes (default 20,000 × BENCH_SCALE, whole deliveries).
 */
import { createHmac } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ManualClock } from '../src/common/clock.js';
import { eventKey } from '../src/connections/rules.js';
import {
  type Concord,
  createCalendar,
  expectCall,
  fmtFixed,
  fmtInt,
  fmtMs,
  fmtPercent,
  hotLeads,
  mulberry32,
  nowMs,
  type Org,
  PARIS_OFFICE,
  positiveIntFromEnv,
  printTable,
  scaled,
  seedOrg,
  signAgreement,
  startConcord,
  status,
  tempDirectory,
} from './support/concord.js';

const PER_DELIVERY = 100;
const CHANGES = Math.max(PER_DELIVERY, Math.round(positiveIntFromEnv('BENCH_CONNECTION_EVENTS', scaled(20_000, 1_000)) / PER_DELIVERY) * PER_DELIVERY);
const SEED = 0xc0_4e_c7;
const GOAL_RATIO = 0.7;

const CLIENT_SECRET = 'bench-hubspot-client-secret-3f9a61c2';
const RULES = [
  { on: { object: 'contact', property: 'hs_lead_status', to: 'NEW' }, emit: 'lead.handed_over' },
  { on: { object: 'contact', property: 'hs_lead_status', to: 'CONNECTED' }, emit: 'lead.contacted' },
];
const ATTRIBUTES = { score: 'lead_temperature' };
const PREFIX = 'hs-';

const SIGNED_AT = '2026-01-05T08:00:00Z';
/** After every change (the last is on 26 March), so none is in the future. */
const INGESTED_AT = Date.parse('2026-04-01T00:00:00Z');
const FIRST_DAY = Date.UTC(2026, 1, 2); // Monday 2 February 2026
const LAST_DAY = Date.UTC(2026, 2, 20); // Friday 20 March 2026
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One event as HubSpot's webhooks send it. */
interface HubspotChange {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: 'contact.propertyChange';
  attemptNumber: number;
  objectId: number;
  propertyName: 'hs_lead_status' | 'lead_temperature';
  propertyValue: string;
  changeSource: string;
  sourceId: string;
}

interface Generated {
  changes: HubspotChange[];
  leads: number;
  met: number;
  breached: number;
}

interface ConcordEvent {
  type: string;
  subject: string;
  occurredAt: string;
  attributes: Record<string, string>;
  key: string;
}

interface Side {
  name: string;
  latencies: number[];
  ms: number;
}

export async function run(): Promise<void> {
  const generated = generate(CHANGES, SEED);
  const deliveries: string[] = [];
  for (let i = 0; i < generated.changes.length; i += PER_DELIVERY) deliveries.push(JSON.stringify(generated.changes.slice(i, i + PER_DELIVERY)));

  const dir = tempDirectory('connections');
  const clock = new ManualClock(SIGNED_AT);
  const started: Concord[] = [];
  try {
    // 1. Two services, each with its org and agreement; the first with the HubSpot connection.
    const hooked = await startConcord({ sqlitePath: dir.file('hooks.sqlite'), clock, listen: true });
    started.push(hooked);
    const direct = await startConcord({ sqlitePath: dir.file('api.sqlite'), clock, listen: true });
    started.push(direct);
    const hookedOrg = await prepare(hooked);
    const directOrg = await prepare(direct);
    const connection = await expectCall<{ id: string; webhookUrl: string }>(hooked.url, 'POST', '/api/connections', hookedOrg.salesHead, 201, {
      name: 'HubSpot',
      kind: 'hubspot',
      secret: CLIENT_SECRET,
      subjectPrefix: PREFIX,
      rules: RULES,
      attributes: ATTRIBUTES,
    });

    // 2. The same events in Concord's format, one array per delivery.
    const arrays = deliveriesAsEvents(generated.changes, connection.id);
    const events = arrays.reduce((sum, array) => sum + array.length, 0);
    const bodies = arrays.map((array) => JSON.stringify(array));
    printHeader(generated, deliveries, events);

    // 3. The timed part: the pairs of requests, interleaved.
    const hooks: Side = { name: 'hooks', latencies: [], ms: 0 };
    const api: Side = { name: 'api', latencies: [], ms: 0 };
    const sendDelivery = async (index: number) => {
      const body = deliveries[index];
      const timestamp = String(clock.now().getTime());
      const signature = createHmac('sha256', CLIENT_SECRET).update(`POST${connection.webhookUrl}${body}${timestamp}`).digest('base64');
      const sent = nowMs();
      const response = await fetch(`${hooked.url}/hooks/${connection.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': timestamp, 'x-hubspot-signature-v3': signature },
        body,
      });
      const answer = (await response.json()) as { received: number; outcome: string; events: number };
      hooks.latencies.push(nowMs() - sent);
      const expected = arrays[index].length;
      if (response.status !== 200 || answer.received !== PER_DELIVERY || answer.outcome !== 'accepted' || answer.events !== expected) {
        throw new Error(`delivery ${index + 1}: expected 200 accepted with ${PER_DELIVERY} received and ${expected} events, got ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
      }
    };
    const sendArray = async (index: number) => {
      const sent = nowMs();
      const response = await fetch(`${direct.url}/api/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${directOrg.marketingMember}`, 'content-type': 'application/json' },
        body: bodies[index],
      });
      const answer = (await response.json()) as { accepted: number };
      api.latencies.push(nowMs() - sent);
      if (response.status !== 200 || answer.accepted !== arrays[index].length) {
        throw new Error(`array ${index + 1}: expected 200 with ${arrays[index].length} accepted, got ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
      }
    };
    for (let index = 0; index < deliveries.length; index++) {
      clock.set(new Date(INGESTED_AT + index * 1000));
      if (index % 2 === 0) {
        await sendDelivery(index);
        await sendArray(index);
      } else {
        await sendArray(index);
        await sendDelivery(index);
      }
    }
    hooks.ms = hooks.latencies.reduce((sum, ms) => sum + ms, 0);
    api.ms = api.latencies.reduce((sum, ms) => sum + ms, 0);

    // 4. What both stored and measured.
    await verify(hooked.dataSource, direct.dataSource, generated, events, deliveries.length, connection.id);

    const hooksRate = (events * 1000) / hooks.ms;
    const apiRate = (events * 1000) / api.ms;
    const ratio = hooksRate / apiRate;
    const spread = (side: Side) => {
      const sorted = [...side.latencies].sort((a, b) => a - b);
      const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
      return `p50 ${fmtMs(pick(0.5))}, p95 ${fmtMs(pick(0.95))}, max ${fmtMs(sorted[sorted.length - 1])}`;
    };
    console.log(
      `verification: both databases hold the same ${fmtInt(events)} events (row by row); ${fmtInt(generated.leads)} clocks, ` +
        `${fmtInt(generated.met)} met, ${fmtInt(generated.breached)} breached on both; ${fmtInt(deliveries.length)} deliveries logged, all accepted`,
    );
    console.log('');
    printTable(
      ['implementation', 'events/s', 'total', 'per request', 'requests'],
      [
        [
          'POST /hooks/:id (HubSpot v3, 100 changes)',
          `${fmtInt(hooksRate)} (${fmtInt((generated.changes.length * 1000) / hooks.ms)} changes/s)`,
          fmtMs(hooks.ms),
          spread(hooks),
          fmtInt(deliveries.length),
        ],
        ['POST /api/events (the same events)', fmtInt(apiRate), fmtMs(api.ms), spread(api), fmtInt(bodies.length)],
      ],
    );
    console.log('');
    printTable(
      ['goal', 'result', 'status'],
      [
        [`deliveries ≥ ${fmtPercent(GOAL_RATIO)} of the API's rate`, `${fmtPercent(ratio)} (1 : ${fmtFixed(1 / ratio, 2)})`, status(ratio >= GOAL_RATIO)],
        ['same events, clocks and outcomes on both', `${fmtInt(events)} events, ${fmtInt(generated.leads)} clocks`, 'met'],
      ],
    );
  } finally {
    for (const concord of started.reverse()) await concord.close();
    dir.remove();
  }
}

// ---------------------------------------------------------------------------------------------

async function prepare(concord: Concord): Promise<Org> {
  concord.clock.set(SIGNED_AT);
  const org = await seedOrg(concord.url);
  const calendarId = await createCalendar(concord.url, PARIS_OFFICE);
  await signAgreement(concord.url, org, hotLeads(org, calendarId));
  return org;
}

function generate(total: number, seed: number): Generated {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const days: number[] = [];
  for (let day = FIRST_DAY; day <= LAST_DAY; day += DAY) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(day);
  }
  const changes: HubspotChange[] = [];
  let eventId = 7_000_000;
  const add = (objectId: number, at: number, propertyName: HubspotChange['propertyName'], propertyValue: string) => {
    changes.push({
      eventId: ++eventId,
      subscriptionId: 2451,
      portalId: 62515,
      appId: 1160452,
      occurredAt: at,
      subscriptionType: 'contact.propertyChange',
      attemptNumber: 0,
      objectId,
      propertyName,
      propertyValue,
      changeSource: 'CRM_UI',
      sourceId: `userId:${7700 + Math.floor(random() * 40)}`,
    });
  };
  const temperature = () => pick(['hot', 'warm', 'cold'] as const);

  let leads = 0;
  let met = 0;
  let breached = 0;
  let filler = 0;
  // A contact takes at most 4 changes.
  while (changes.length + 4 <= total) {
    leads += 1;
    const objectId = 100_000 + leads;
    // 10:00–12:00 Paris (09:00–11:00 UTC in winter), whole seconds.
    const start = pick(days) + 9 * HOUR + Math.floor(random() * 7200) * 1000;
    if (random() < 0.8) add(objectId, start - MINUTE, 'lead_temperature', temperature());
    add(objectId, start, 'hs_lead_status', 'NEW');
    const pattern = random();
    const contactedAt = pattern < 0.55 ? start + 10 * MINUTE : pattern < 0.8 ? start + 6 * DAY : undefined;
    if (contactedAt === undefined) {
      breached += 1; // never called: running, and overdue weeks before INGESTED_AT
      continue;
    }
    if (random() < 0.2) add(objectId, start + 5 * MINUTE, 'lead_temperature', temperature());
    add(objectId, contactedAt, 'hs_lead_status', 'CONNECTED');
    if (contactedAt - start <= 10 * MINUTE) met += 1;
    else breached += 1;
  }
  // Whole deliveries: temperatures of contacts never handed over fill the rest.
  while (changes.length < total) add(900_000 + ++filler, pick(days) + 8 * HOUR, 'lead_temperature', temperature());
  changes.sort((a, b) => a.occurredAt - b.occurredAt);
  return { changes, leads, met, breached };
}

/**
 * What each delivery should produce, in Concord's format, worked out apart from the service: the
 * rules and the attribute mapping applied to the contacts' temperatures known so far (changes are
 * in time order, and a contact's changes never share an instant).
 */
function deliveriesAsEvents(changes: HubspotChange[], connectionId: string): ConcordEvent[][] {
  const temperatures = new Map<number, string>();
  const arrays: ConcordEvent[][] = [];
  for (let i = 0; i < changes.length; i += PER_DELIVERY) {
    const array: ConcordEvent[] = [];
    for (const change of changes.slice(i, i + PER_DELIVERY)) {
      if (change.propertyName === 'lead_temperature') {
        temperatures.set(change.objectId, change.propertyValue);
        continue;
      }
      const rule = RULES.find((candidate) => candidate.on.to === change.propertyValue);
      if (!rule) continue;
      const score = temperatures.get(change.objectId);
      array.push({
        type: rule.emit,
        subject: `${PREFIX}${change.objectId}`,
        occurredAt: new Date(change.occurredAt).toISOString(),
        attributes: score === undefined ? {} : { score },
        key: eventKey(connectionId, String(change.eventId), rule.emit),
      });
    }
    if (array.length === 0) throw new Error(`delivery ${arrays.length + 1} produces no event: the generator needs another seed`);
    arrays.push(array);
  }
  return arrays;
}

async function verify(hooked: DataSource, direct: DataSource, generated: Generated, events: number, deliveries: number, connectionId: string): Promise<void> {
  const problems: string[] = [];
  const expect = (what: string, actual: number, expected: number) => {
    if (actual !== expected) problems.push(`${what}: ${fmtInt(actual)}, expected ${fmtInt(expected)}`);
  };
  for (const [side, dataSource] of [
    ['deliveries', hooked],
    ['API', direct],
  ] as const) {
    const one = async (sql: string) => Number(Object.values((await dataSource.query(sql))[0] as object)[0]);
    expect(`${side}: events stored`, await one('SELECT COUNT(*) FROM events'), events);
    expect(`${side}: clocks`, await one(`SELECT COUNT(*) FROM clocks WHERE state <> 'void'`), generated.leads);
    expect(`${side}: met clocks`, await one(`SELECT COUNT(*) FROM clocks WHERE outcome = 'met'`), generated.met);
    expect(`${side}: breached clocks`, await one(`SELECT COUNT(*) FROM clocks WHERE outcome = 'breached'`), generated.breached);
    expect(`${side}: response breaches`, await one(`SELECT COUNT(*) FROM breaches WHERE kind = 'response' AND withdrawn_at IS NULL`), generated.breached);
  }
  const logged = (await hooked.query(`SELECT outcome, COUNT(*) AS n FROM connection_deliveries WHERE connection_id = ? GROUP BY outcome`, [connectionId])) as {
    outcome: string;
    n: number;
  }[];
  expect('deliveries logged', logged.reduce((sum, row) => sum + Number(row.n), 0), deliveries);
  expect('deliveries accepted', Number(logged.find((row) => row.outcome === 'accepted')?.n ?? 0), deliveries);
  const rows = async (dataSource: DataSource) =>
    ((await dataSource.query('SELECT key, type, subject, occurred_at, attributes FROM events ORDER BY key')) as Record<string, unknown>[]).map((row) =>
      JSON.stringify([row.key, row.type, row.subject, row.occurred_at, JSON.parse(String(row.attributes))]),
    );
  const [a, b] = [await rows(hooked), await rows(direct)];
  const differing = a.findIndex((row, index) => row !== b[index]);
  if (differing >= 0 || a.length !== b.length) problems.push(`the events differ, first at row ${differing}: ${a[differing]} / ${b[differing]}`);
  if (problems.length > 0) throw new Error(`the two sides did not store or measure what was sent:\n  ${problems.join('\n  ')}`);
}

function printHeader(generated: Generated, deliveries: string[], events: number): void {
  const bytes = deliveries.reduce((sum, body) => sum + Buffer.byteLength(body), 0);
  console.log('CRM deliveries: HubSpot webhooks to POST /hooks/:id (100 changes each, signature v3) against POST /api/events with the same events');
  console.log(
    `changes:   ${fmtInt(generated.changes.length)} HubSpot contact.propertyChange events in ${fmtInt(deliveries.length)} deliveries ` +
      `(${fmtInt(bytes / deliveries.length / 1024)} KiB each), ${fmtInt(generated.leads)} contacts; they produce ${fmtInt(events)} events`,
  );
  console.log(`rules:     hs_lead_status NEW → lead.handed_over, CONNECTED → lead.contacted; score ← lead_temperature`);
  console.log(`in force:  "Hot leads are called fast" (response, Paris office hours), on each side's own fresh SQLite file (WAL); requests interleaved`);
  console.log(`expected:  ${fmtInt(generated.met)} clocks met, ${fmtInt(generated.breached)} breached; seed 0x${SEED.toString(16)}`);
}
