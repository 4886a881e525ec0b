/**
 * Funnel stories: what became of leads after marketing qualified them, as the events that enter the
 * default funnel's stages (MQL, SAL, SQL, Won, Lost, Recycled: lead.mql … lead.recycled), with the
 * figures the funnel report must show kept while generating. The reads benchmark writes them beside
 * the lead stories (lead-stories.ts), on the same leads: each funnel lead is a lead of those
 * stories, qualified (lead.mql, with the `source` and `score` of its hand-over) 5 minutes to 2
 * days before it is handed over to sales, so the report's response clocks per source are that
 * lead's "Hot leads are called fast" clocks.
 *
 * Conversion depends on the source (a partner's lead is accepted more often than a content
 * download's): about 40 % of MQLs are accepted (SAL) 30 minutes to 5 days after the hand-over,
 * about 25 % become SQL 1 day to 3 weeks later; of those 80 % are decided 1 to 10 weeks later,
 * won or lost with a `reason` (price, competitor with a `competitor`, no budget, timing, no
 * decision), a fifth of the lost recycled afterwards; the other 20 % get no outcome (never worked
 * once 14 days old). Some MQLs not accepted, and some SALs that never became SQL, are recycled with
 * a reason. Delays are log-uniform over their ranges; every event happens before `now`.
 *
 * Two steps, so the events can be counted before the lead stories are generated to make up the
 * total: `planFunnelStories` draws each lead's source and story (delays relative to its
 * hand-over), `placeFunnelStories` gives each a lead of that source whose hand-over leaves the
 * story room before now, and counts what the report will read.
 */
import { mulberry32 } from './concord.js';
import { LEAD_EVENT_TYPES, SOURCES, type EventColumns, type LeadStories } from './lead-stories.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

export const FUNNEL_EVENT_TYPES = ['lead.mql', 'lead.accepted', 'lead.sql', 'lead.won', 'lead.lost', 'lead.recycled'] as const;
const [MQL, ACCEPTED, SQL, WON, LOST, RECYCLED] = [0, 1, 2, 3, 4, 5];
/** The default funnel's stages (migration StageEntries) these types enter, in the same order. */
export const FUNNEL_STAGES = ['MQL', 'SAL', 'SQL', 'Won', 'Lost', 'Recycled'] as const;

/** How a source's leads fare: its share of the MQLs, then the chance of each step given the one before. */
const PROFILES: Record<(typeof SOURCES)[number], { share: number; accepted: number; qualified: number; won: number }> = {
  webinar: { share: 0.18, accepted: 0.4, qualified: 0.55, won: 0.35 },
  'trade-show': { share: 0.16, accepted: 0.5, qualified: 0.7, won: 0.45 },
  website: { share: 0.22, accepted: 0.38, qualified: 0.6, won: 0.4 },
  partner: { share: 0.12, accepted: 0.55, qualified: 0.75, won: 0.5 },
  outbound: { share: 0.14, accepted: 0.35, qualified: 0.55, won: 0.3 },
  content: { share: 0.18, accepted: 0.3, qualified: 0.5, won: 0.3 },
};
/** Of the SQLs, those won or lost; the others get no outcome. */
const DECIDED = 0.8;
const LOST_REASONS: [string, number][] = [
  ['price', 0.3],
  ['competitor', 0.25],
  ['no budget', 0.2],
  ['timing', 0.15],
  ['no decision', 0.1],
];
const COMPETITORS: [string, number][] = [
  ['Acme', 0.4],
  ['Globex', 0.3],
  ['Initech', 0.2],
  ['Umbrella', 0.1],
];
const NOT_ACCEPTED_RECYCLED = 0.15;
const NOT_ACCEPTED_REASONS = ['not ready', 'no fit', 'student'];
const NOT_QUALIFIED_RECYCLED = 0.4;
const NOT_QUALIFIED_REASONS = ['no project yet', 'no budget this year', 'wrong contact'];
const LOST_RECYCLED = 0.2;

interface PlannedEvent {
  type: number;
  /** Milliseconds after the lead's hand-over (before it: negative). */
  after: number;
  attributes: Record<string, unknown>;
}

interface PlannedLead {
  source: string;
  region: string;
  events: PlannedEvent[];
  /** How long after the hand-over its last event comes (0 when none comes after it). */
  span: number;
}

export interface FunnelPlan {
  leads: PlannedLead[];
  /** How many events the stories hold. */
  events: number;
}

export function planFunnelStories({ leads, seed }: { leads: number; seed: number }): FunnelPlan {
  const random = mulberry32(seed);
  /** Log-uniform: hours and weeks alike. */
  const between = (low: number, high: number) => low * (high / low) ** random();
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const weighted = (items: readonly [string, number][]) => {
    let draw = random() * items.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [item, weight] of items) if ((draw -= weight) < 0) return item;
    return items[items.length - 1][0];
  };
  const shares = Object.entries(PROFILES).map(([source, profile]): [string, number] => [source, profile.share]);
  const planned: PlannedLead[] = [];
  let events = 0;
  for (let n = 0; n < leads; n++) {
    const source = weighted(shares);
    const profile = PROFILES[source as keyof typeof PROFILES];
    const region = random() < 0.8 ? 'EU' : 'US';
    const story: PlannedEvent[] = [{ type: MQL, after: -between(5 * MINUTE, 2 * DAY), attributes: {} }];
    const then = (type: number, after: number, attributes: Record<string, unknown> = {}) => story.push({ type, after, attributes });
    let t = 0;
    if (random() < profile.accepted) {
      then(ACCEPTED, (t += between(30 * MINUTE, 5 * DAY)));
      if (random() < profile.qualified) {
        then(SQL, (t += between(DAY, 3 * WEEK)));
        if (random() < DECIDED) {
          t += between(WEEK, 10 * WEEK);
          if (random() < profile.won) then(WON, t, { amount: 1000 * (5 + Math.floor(random() * 95)) });
          else {
            const reason = weighted(LOST_REASONS);
            then(LOST, t, reason === 'competitor' ? { reason, competitor: weighted(COMPETITORS) } : { reason });
            if (random() < LOST_RECYCLED) then(RECYCLED, (t += between(2 * DAY, 4 * WEEK)), { reason: 'lost, back to nurturing' });
          }
        }
      } else if (random() < NOT_QUALIFIED_RECYCLED) {
        then(RECYCLED, (t += between(2 * DAY, 4 * WEEK)), { reason: pick(NOT_QUALIFIED_REASONS) });
      }
    } else if (random() < NOT_ACCEPTED_RECYCLED) {
      then(RECYCLED, (t += between(DAY, 2 * WEEK)), { reason: pick(NOT_ACCEPTED_REASONS) });
    }
    planned.push({ source, region, events: story, span: t });
    events += story.length;
  }
  return { leads: planned, events };
}

/** What the funnel report for the year must show for one source, as generated. */
export interface SourceFunnel {
  source: string;
  /** Subjects entering each stage, in FUNNEL_STAGES order. */
  entered: number[];
  /** Per stage name, the `reason`s and `competitor`s of the events entering it (only stages with some). */
  reasons: Record<string, Record<string, number>>;
  competitors: Record<string, Record<string, number>>;
  /** SQLs at least `neverWorkedDays` old with no outcome (won, lost or recycled). */
  neverWorked: number;
}

export interface FunnelStories extends EventColumns {
  /** Funnel leads (those with a story; the lead stories' own lead.mql subjects are counted in `expected` only). */
  leads: number;
  expected: SourceFunnel[];
}

/**
 * Places each planned story on a lead of the lead stories with the same source, spread over them
 * in order (the k-th of a source's N stories starts looking at its k/N-th lead) and taking the
 * first free one whose hand-over leaves the story room before `now`. Counts, per source, what the
 * report for the year reads — the lead stories' own lead.mql events too (subjects M-…, entering
 * MQL only) — as read at `neverWorkedAt` (by default `now`).
 */
export function placeFunnelStories(
  plan: FunnelPlan,
  stories: LeadStories,
  { now, neverWorkedAt = now, neverWorkedDays }: { now: number; neverWorkedAt?: number; neverWorkedDays: number },
): FunnelStories {
  const handedOver = LEAD_EVENT_TYPES.indexOf('lead.handed_over');
  const leadMql = LEAD_EVENT_TYPES.indexOf('lead.mql');
  // Each lead's first hand-over: when, and its attributes.
  const firstAt = new Float64Array(stories.leads + 1).fill(Infinity);
  const firstAttributes: Record<string, unknown>[] = new Array(stories.leads + 1);
  const expected = new Map<string, SourceFunnel>(
    SOURCES.map((source) => [source, { source, entered: FUNNEL_STAGES.map(() => 0), reasons: {}, competitors: {}, neverWorked: 0 }]),
  );
  const funnelOf = (source: unknown) => {
    const found = expected.get(String(source));
    if (!found) throw new Error(`a lead from an unknown source: ${String(source)}`);
    return found;
  };
  for (let i = 0; i < stories.count; i++) {
    if (stories.type[i] === leadMql) funnelOf((JSON.parse(stories.attributes[i]) as { source: string }).source).entered[MQL] += 1;
    if (stories.type[i] !== handedOver) continue;
    const lead = Number(stories.subject[i].slice(2));
    if (stories.occurred[i] < firstAt[lead]) {
      firstAt[lead] = stories.occurred[i];
      firstAttributes[lead] = JSON.parse(stories.attributes[i]) as Record<string, unknown>;
    }
  }
  const candidates = new Map<string, number[]>(SOURCES.map((source) => [source, []]));
  for (let lead = 1; lead <= stories.leads; lead++) candidates.get(String(firstAttributes[lead].source))?.push(lead);
  const wanted = new Map<string, number>();
  for (const planned of plan.leads) wanted.set(planned.source, (wanted.get(planned.source) ?? 0) + 1);
  const taken = new Map<string, Uint8Array>([...candidates].map(([source, leads]) => [source, new Uint8Array(leads.length)]));
  const placedSoFar = new Map<string, number>();

  const count = plan.events;
  const columns: FunnelStories = {
    count,
    occurred: new Float64Array(count),
    type: new Uint8Array(count),
    typeNames: FUNNEL_EVENT_TYPES,
    subject: new Array<string>(count),
    attributes: new Array<string>(count),
    leads: plan.leads.length,
    expected: [],
  };
  const neverWorkedBefore = neverWorkedAt - neverWorkedDays * DAY;
  let written = 0;
  for (const planned of plan.leads) {
    const pool = candidates.get(planned.source) as number[];
    const free = taken.get(planned.source) as Uint8Array;
    const rank = placedSoFar.get(planned.source) ?? 0;
    placedSoFar.set(planned.source, rank + 1);
    const start = Math.floor((rank * pool.length) / (wanted.get(planned.source) as number));
    let lead = 0;
    for (let step = 0; step < pool.length; step++) {
      const at = (start + step) % pool.length;
      if (free[at] === 0 && firstAt[pool[at]] + planned.span < now - MINUTE) {
        free[at] = 1;
        lead = pool[at];
        break;
      }
    }
    if (lead === 0) throw new Error(`too few ${planned.source} leads for the funnel stories: make the lead stories larger`);
    const handOver = firstAt[lead];
    const subject = `L-${String(lead).padStart(7, '0')}`;
    const score = firstAttributes[lead].score;
    const funnel = funnelOf(planned.source);
    let sqlAt: number | null = null;
    let outcome = false;
    for (const event of planned.events) {
      const attributes = event.type === MQL ? { source: planned.source, region: planned.region, ...(score ? { score } : {}) } : event.attributes;
      columns.occurred[written] = Math.round(handOver + event.after);
      columns.type[written] = event.type;
      columns.subject[written] = subject;
      columns.attributes[written] = JSON.stringify(attributes);
      written += 1;
      const stage = FUNNEL_STAGES[event.type];
      funnel.entered[event.type] += 1;
      if (typeof event.attributes.reason === 'string') tally(funnel.reasons, stage, event.attributes.reason);
      if (typeof event.attributes.competitor === 'string') tally(funnel.competitors, stage, event.attributes.competitor);
      if (event.type === SQL) sqlAt = Math.round(handOver + event.after);
      if (event.type === WON || event.type === LOST || event.type === RECYCLED) outcome = true;
    }
    if (sqlAt !== null && !outcome && sqlAt <= neverWorkedBefore) funnel.neverWorked += 1;
  }
  columns.expected = [...expected.values()];
  return columns;
}

function tally(counts: Record<string, Record<string, number>>, stage: string, name: string): void {
  const stageCounts = (counts[stage] ??= {});
  stageCounts[name] = (stageCounts[name] ?? 0) + 1;
}
