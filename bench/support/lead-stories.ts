/**
 * Leads handed over to sales and what became of them, as events with known outcomes: the data of
 * the replay and reads benchmarks. Each lead follows one story (delays are 0.1–0.25× or 3× its
 * target — with `spread`, drawn from 0.05–0.9× and 1.2–5× instead, so durations vary as real ones
 * do — never near it, on a calendar open round the clock; each clock counts in one part, a
 * breached one still open as breached):
 *   called in time (met) · called, then a follow-up call (met) · called late (breached) · on hold
 *   for 5× the target and called in time counting running time only (met) · never called (running,
 *   breached) · on hold and never resumed (paused) · met, then handed over again and called late
 *   (two cycles: met + breached) · handed over shortly before now (running, pending).
 * 3 % of the events are lead.mql (a quota agreement's), which response agreements skip (`mqlShare`
 * changes the share: the reads benchmark writes its MQLs as funnel stories instead, funnel-stories.ts).
 */
import { DataSource } from 'typeorm';
import { v7 } from 'uuid';
import { bulkLoad, mulberry32, sqliteInstant } from './concord.js';

const HOUR = 3_600_000;

export const LEAD_EVENT_TYPES = ['lead.handed_over', 'lead.contacted', 'lead.on_hold', 'lead.resumed', 'lead.mql'] as const;
const [HANDED_OVER, CONTACTED, ON_HOLD, RESUMED, MQL] = [0, 1, 2, 3, 4];
/** The types "Hot leads are called fast" measures. */
export const RESPONSE_EVENT_TYPES = LEAD_EVENT_TYPES.slice(0, 4);

/** Nominal targets in ms; P2D round the clock is 48 h (delays keep far from it either way). */
const TARGETS = [
  { name: 'hot', score: 'hot', ms: HOUR },
  { name: 'warm', score: 'warm', ms: 4 * HOUR },
  { name: 'default', score: 'cold', ms: 48 * HOUR },
  { name: 'default', score: null, ms: 48 * HOUR },
];
/** Where leads come from: the `source` of their hand-over (and of their MQL in the funnel stories). */
export const SOURCES = ['webinar', 'trade-show', 'website', 'partner', 'outbound', 'content'];

export interface ClockCounts {
  total: number;
  met: number;
  breached: number;
  running: number;
  paused: number;
}
const zero = (): ClockCounts => ({ total: 0, met: 0, breached: 0, running: 0, paused: 0 });

export interface LeadStories {
  count: number;
  occurred: Float64Array;
  type: Uint8Array;
  subject: string[];
  attributes: string[];
  leads: number;
  responseEvents: number;
  expected: ClockCounts;
  byTarget: Map<string, ClockCounts>;
  stories: Map<string, number>;
}

export interface StoryOptions {
  total: number;
  seed: number;
  /** Leads are handed over between these instants (epoch ms)… */
  firstStart: number;
  lastStart: number;
  /** …except the last story's, shortly before now. */
  now: number;
  /** Delays drawn from ranges rather than fixed multiples of the target. */
  spread?: boolean;
  /**
   * The share of the events that are lead.mql of subjects of their own (M-1, M-2, …), 0.03 unless
   * given; with 0, only the 0–3 events the stories leave short of `total`.
   */
  mqlShare?: number;
}

export function generateLeadStories({ total, seed, firstStart, lastStart, now, spread = false, mqlShare = 0.03 }: StoryOptions): LeadStories {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  // Without `spread` no random number is drawn, so the same seed gives the same events as ever.
  const factor = (fixed: number, low: number, high: number) => (spread ? low + random() * (high - low) : fixed);
  const occurred = new Float64Array(total);
  const type = new Uint8Array(total);
  const subject: string[] = new Array(total);
  const attributes: string[] = new Array(total);
  let count = 0;
  const add = (kind: number, who: string, at: number, attrs: object) => {
    occurred[count] = Math.round(at);
    type[count] = kind;
    subject[count] = who;
    attributes[count] = JSON.stringify(attrs);
    count += 1;
  };
  const expected = zero();
  const byTarget = new Map<string, ClockCounts>();
  const stories = new Map<string, number>();
  const clockOf = (targetName: string, outcome: 'met' | 'breached' | 'pending', state: 'running' | 'paused' | 'stopped') => {
    for (const counts of [expected, byTarget.get(targetName) ?? (byTarget.set(targetName, zero()), byTarget.get(targetName) as ClockCounts)]) {
      counts.total += 1;
      // One part per clock: a breached clock still open counts as breached, not running or paused.
      if (outcome === 'met') counts.met += 1;
      else if (outcome === 'breached') counts.breached += 1;
      else if (state === 'running') counts.running += 1;
      else if (state === 'paused') counts.paused += 1;
    }
  };

  const mqlTarget = Math.floor(total * mqlShare);
  let leads = 0;
  // A story has at most 4 events.
  while (count + 4 <= total - mqlTarget) {
    leads += 1;
    const who = `L-${String(leads).padStart(7, '0')}`;
    const target = TARGETS[Math.floor(random() * TARGETS.length)];
    const T = target.ms;
    const handOver = (at: number) =>
      add(HANDED_OVER, who, at, {
        ...(target.score ? { score: target.score } : {}),
        source: pick(SOURCES),
        owner: `rep-${1 + Math.floor(random() * 40)}`,
        amount: 1000 * (1 + Math.floor(random() * 50)),
      });
    const call = (at: number) => add(CONTACTED, who, at, { channel: random() < 0.7 ? 'phone' : 'email' });
    let t = firstStart + Math.floor((random() * (lastStart - firstStart)) / 1000) * 1000;
    const story = random();
    let name: string;
    if (story < 0.25) {
      name = 'called in time';
      handOver(t);
      call(t + factor(0.25, 0.05, 0.9) * T);
      clockOf(target.name, 'met', 'stopped');
    } else if (story < 0.3) {
      name = 'called in time, then again';
      const first = factor(0.25, 0.05, 0.9);
      handOver(t);
      call(t + first * T);
      call(t + (first + 0.25) * T);
      clockOf(target.name, 'met', 'stopped');
    } else if (story < 0.45) {
      name = 'called late';
      handOver(t);
      call(t + factor(3, 1.2, 5) * T);
      clockOf(target.name, 'breached', 'stopped');
    } else if (story < 0.65) {
      name = 'on hold, then called in time';
      const before = factor(0.1, 0.05, 0.4);
      const held = factor(5, 1, 10);
      const after = factor(0.1, 0.05, 0.4);
      handOver(t);
      add(ON_HOLD, who, t + before * T, { reason: 'customer asked to call back' });
      add(RESUMED, who, t + (before + held) * T, {});
      call(t + (before + held + after) * T);
      clockOf(target.name, 'met', 'stopped');
    } else if (story < 0.7) {
      name = 'never called';
      handOver(t);
      clockOf(target.name, 'breached', 'running');
    } else if (story < 0.75) {
      name = 'on hold, never resumed';
      handOver(t);
      add(ON_HOLD, who, t + factor(0.1, 0.05, 0.9) * T, { reason: 'budget frozen' });
      clockOf(target.name, 'pending', 'paused');
    } else if (story < 0.95) {
      name = 'met, handed over again, called late';
      const first = factor(0.25, 0.05, 0.9);
      handOver(t);
      call(t + first * T);
      const again = t + first * T + HOUR;
      handOver(again);
      call(again + factor(3, 1.2, 5) * T);
      clockOf(target.name, 'met', 'stopped');
      clockOf(target.name, 'breached', 'stopped');
    } else {
      name = 'handed over just now';
      t = now - factor(0.25, 0.05, 0.9) * T;
      handOver(t);
      clockOf(target.name, 'pending', 'running');
    }
    stories.set(name, (stories.get(name) ?? 0) + 1);
  }
  const responseEvents = count;
  let extra = 0;
  while (count < total) {
    const at = firstStart + Math.floor((random() * (lastStart - firstStart)) / 1000) * 1000;
    add(MQL, `M-${++extra}`, at, { region: random() < 0.8 ? 'EU' : 'US', score: pick([40, 55, 70, 85]), source: pick(SOURCES) });
  }
  return { count, occurred, type, subject, attributes, leads, responseEvents, expected, byTarget, stories };
}

/** Events as columns: each one's type is an index into `typeNames`. */
export interface EventColumns {
  count: number;
  occurred: Float64Array;
  type: Uint8Array;
  typeNames: readonly string[];
  subject: string[];
  attributes: string[];
}

/** The lead stories' events as columns. */
export function leadEventColumns(generated: LeadStories): EventColumns {
  return { ...generated, typeNames: LEAD_EVENT_TYPES };
}

/** Stores the events in the order they happened (as a CRM feed delivers them), with uuid v7 ids. */
export function writeLeadEvents(file: string, generated: LeadStories): void {
  writeEvents(file, [leadEventColumns(generated)]);
}

/**
 * Stores several sets of events merged in the order they happened (ties: the earlier set, then
 * the order within it), as writeLeadEvents stores one: in a SQLite file (bulkLoad), or in a
 * PostgreSQL schema (writeEventsPostgres).
 */
export function writeEvents(file: string, sets: readonly EventColumns[]): void {
  bulkLoad(file, 'events', (db) => {
    const insert = db.prepare(
      `INSERT INTO events (id, dedupe_key, key, type, subject, occurred_at, received_at, attributes, source_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
    );
    for (const row of eventsInOrder(sets)) insert.run(row.id, `k:${row.key}`, row.key, row.type, row.subject, sqliteInstant(row.occurred), sqliteInstant(row.occurred + 60_000), row.attributes);
  });
}

/** One stored event as both stores write it. */
interface EventRow {
  id: string;
  key: string;
  type: string;
  subject: string;
  occurred: number;
  attributes: string;
}

/** The events of several sets merged in the order they happened, with uuid v7 ids in that order. */
function* eventsInOrder(sets: readonly EventColumns[]): Generator<EventRow> {
  const total = sets.reduce((sum, set) => sum + set.count, 0);
  // One numbering of every event (its set, its index there), then that numbering sorted by time.
  const setOf = new Uint8Array(total);
  const indexOf = new Uint32Array(total);
  let n = 0;
  for (const [s, set] of sets.entries()) {
    for (let i = 0; i < set.count; i++, n++) {
      setOf[n] = s;
      indexOf[n] = i;
    }
  }
  const order = Uint32Array.from({ length: total }, (_, i) => i);
  const at = (k: number) => sets[setOf[k]].occurred[indexOf[k]];
  order.sort((a, b) => at(a) - at(b) || a - b);
  for (let k = 0; k < order.length; k++) {
    const set = sets[setOf[order[k]]];
    const i = indexOf[order[k]];
    yield { id: v7(), key: `crm-${k + 1}`, type: set.typeNames[set.type[i]], subject: set.subject[i], occurred: set.occurred[i], attributes: set.attributes[i] };
  }
}

/**
 * The same rows into a migrated PostgreSQL schema, as bulkLoad fills SQLite: the secondary
 * indexes dropped, the rows sent 10,000 at a time as arrays (one INSERT … SELECT FROM unnest),
 * the indexes recreated from their very definitions, then ANALYZE. The schema ends as migrated.
 */
export async function writeEventsPostgres(store: { url: string; schema: string }, sets: readonly EventColumns[]): Promise<void> {
  const connection = await new DataSource({ type: 'postgres', url: store.url, extra: { options: `-c search_path=${store.schema}` } }).initialize();
  const client = connection.createQueryRunner();
  try {
    const indexes: { indexname: string; indexdef: string }[] = await client.query(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
       WHERE i.schemaname = $1 AND i.tablename = 'events'
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = $1::regnamespace)`,
      [store.schema],
    );
    for (const index of indexes) await client.query(`DROP INDEX "${store.schema}"."${index.indexname}"`);
    const columns: string[][] = [[], [], [], [], [], [], [], []];
    const flush = async () => {
      if (columns[0].length === 0) return;
      await client.query(
        `INSERT INTO events (id, dedupe_key, key, type, subject, occurred_at, received_at, attributes)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[])`,
        columns,
      );
      for (const column of columns) column.length = 0;
    };
    await client.startTransaction();
    for (const row of eventsInOrder(sets)) {
      const values = [row.id, `k:${row.key}`, row.key, row.type, row.subject, new Date(row.occurred).toISOString(), new Date(row.occurred + 60_000).toISOString(), row.attributes];
      for (let c = 0; c < values.length; c++) columns[c].push(values[c]);
      if (columns[0].length === 10_000) await flush();
    }
    await flush();
    await client.commitTransaction();
    for (const index of indexes) await client.query(index.indexdef);
    await client.query('ANALYZE events');
  } finally {
    await client.release();
    await connection.destroy();
  }
}
