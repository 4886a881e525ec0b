/**
 * Business-time adds: Concord's BusinessCalendar.addBusinessSeconds against the best npm library
 * for the job, moment-business-time (see docs/business-time-libraries.md), on the same inputs.
 *
 * Calendar: UTC (the library is exact there; with moment-timezone it also passed our DST cases,
 * but UTC keeps the baseline free of any zone question), Mon–Fri 09:00–12:30 and 13:30–18:00
 * (8 working hours a day), the French public holidays of 2026 that fall on a weekday plus
 * 2027-01-01, and three dated days: a working Saturday (2026-06-06, a weekday's hours), a short
 * day (Monday 2026-07-13 closing at 17:00) and a closed weekday (Friday 2026-08-14). The library
 * has no dated hours: it gets the closed weekday as a holiday, but cannot open a Saturday or
 * shorten a day.
 *
 * Inputs: a fixed pseudo-random set (seeded PRNG) of (start instant, working seconds): starts are
 * whole seconds anywhere in 2026 (nights, weekends, holidays, lunch breaks included), durations
 * from PT1M to PT40H (= 5 business days of 8 h), a third whole hours, a third whole minutes, a
 * third whole seconds; the first 160 are boundary cases (starts at or next to openings and
 * closings, durations ending exactly on a closing).
 *
 * Conventions: both answer "a due that lands exactly on a closing time stays there" and "a start
 * outside working hours counts from the next opening", so no normalisation is needed. Before
 * anything is timed, every answer of ours is checked to be identical (epoch ms) to a naive
 * day-by-day walk over the same calendar, and every answer of the library to ours wherever the
 * span from start to due does not reach the two dated days it cannot express.
 *
 * Each timed operation takes an epoch-ms number and returns one: for the library that includes
 * wrapping the number in a moment (`moment.utc(ms)`) and reading `valueOf()`, which is what using
 * it in place of addBusinessSeconds would cost. Every result is folded into a checksum that is
 * printed, so no call can be optimised away.
 */
import { createRequire } from 'node:module';
import { BusinessCalendar } from '../src/calendars/business-time/index.js';

/** The parts of moment (as extended by moment-business-time) this benchmark uses. */
interface WorkingMoment {
  addWorkingTime(amount: number, unit: 'seconds'): WorkingMoment;
  valueOf(): number;
}
interface MomentWithBusinessTime {
  utc(epochMs: number): WorkingMoment;
  locale(): string;
  updateLocale(locale: string, config: object): unknown;
}

const require = createRequire(import.meta.url);

const INPUTS = positiveIntFromEnv('BENCH_INPUTS', 10_000);
const SEED = 0x5eed_2026;
const OUR_ROUNDS = 7;
const LIBRARY_ROUNDS = positiveIntFromEnv('BENCH_LIBRARY_ROUNDS', 3);
/** Each of our rounds repeats passes over the inputs until at least this long. */
const OUR_ROUND_MS = 250;
const GOAL_RATIO = 10;
const GOAL_ADDS_PER_SECOND = 1_000_000;

const HOURS: [string, string][] = [
  ['09:00', '12:30'],
  ['13:30', '18:00'],
];
const WORKING_SECONDS_PER_DAY = 8 * 3600;
const MAX_SECONDS = 5 * WORKING_SECONDS_PER_DAY; // PT40H
const HOLIDAYS = [
  '2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14',
  '2026-05-25', '2026-07-14', '2026-11-11', '2026-12-25', '2027-01-01',
];
const FIRST_START = Date.UTC(2026, 0, 1);
const LAST_START = Date.UTC(2026, 11, 31);
/** Dated hours: a working Saturday, a short day and a closed weekday. */
const DATES: Record<string, [string, string][]> = {
  '2026-06-06': HOURS,
  '2026-07-13': [
    ['09:00', '12:30'],
    ['13:30', '17:00'],
  ],
  '2026-08-14': [],
};
/** The dated days the library cannot express (it closes 2026-08-14 as a holiday). */
const BEYOND_LIBRARY = ['2026-06-06', '2026-07-13'];

type AddFn = (fromMs: number, seconds: number) => number;

interface Timing {
  addsPerSecond: number;
  nsPerAdd: number;
  rounds: number;
  addsPerRound: number;
  checksum: number;
}

export function run(): void {
  const ours = BusinessCalendar.compile({
    timezone: 'UTC',
    hours: { mon: HOURS, tue: HOURS, wed: HOURS, thu: HOURS, fri: HOURS },
    holidays: HOLIDAYS,
    dates: DATES,
  });
  const oursAdd: AddFn = (fromMs, seconds) => ours.addBusinessSeconds(fromMs, seconds);

  const moment = require('moment-business-time') as MomentWithBusinessTime;
  const libraryVersion = (require('moment-business-time/package.json') as { version: string }).version;
  const momentVersion = (require('moment/package.json') as { version: string }).version;
  const workinghours: Record<number, string[] | null> = { 0: null, 6: null };
  for (let day = 1; day <= 5; day++) workinghours[day] = HOURS.flat().map((time) => `${time}:00`);
  const libraryHolidays = [...HOLIDAYS, ...Object.keys(DATES).filter((date) => DATES[date].length === 0)];
  moment.updateLocale(moment.locale(), { workinghours, holidays: libraryHolidays });
  const libraryAdd: AddFn = (fromMs, seconds) => moment.utc(fromMs).addWorkingTime(seconds, 'seconds').valueOf();

  const { starts, seconds } = makeInputs(INPUTS, SEED);
  const ourName = 'concord BusinessCalendar';
  const libraryName = `moment-business-time ${libraryVersion} (moment ${momentVersion})`;

  printHeader(ours, starts, seconds);

  // 1. Identical answers, input by input: ours against a naive walk over the same calendar, the
  // library's against ours where it can express the calendar (this pass also warms it up).
  const mismatches: string[] = [];
  let mismatchCount = 0;
  let beyondLibrary = 0;
  let ourChecksum = 0;
  let libraryChecksum = 0;
  for (let i = 0; i < starts.length; i++) {
    const expected = naiveAdd(starts[i], seconds[i]);
    const actual = safe(oursAdd, starts[i], seconds[i]);
    const library = safe(libraryAdd, starts[i], seconds[i]);
    if (typeof actual === 'number') ourChecksum = fold(ourChecksum, actual);
    if (typeof library === 'number') libraryChecksum = fold(libraryChecksum, library);
    const expressible = typeof actual === 'number' && !spansBeyondLibrary(starts[i], actual);
    if (!expressible) beyondLibrary += 1;
    const wrong = expected !== actual ? `naive ${show(expected)}` : expressible && library !== actual ? `library ${show(library)}` : '';
    if (wrong) {
      mismatchCount += 1;
      if (mismatches.length < 10) {
        mismatches.push(`  ${iso(starts[i])} + ${isoDuration(seconds[i]).padEnd(11)} ${wrong}  concord ${show(actual)}`);
      }
    }
  }
  console.log(
    `verification: ${fmtInt(starts.length - mismatchCount)} of ${fmtInt(starts.length)} answers identical to a naive walk, ` +
      `and to the library on the ${fmtInt(starts.length - beyondLibrary)} spans it can express; ${mismatchCount} mismatches`,
  );
  if (mismatchCount > 0) {
    console.log(mismatches.join('\n'));
    throw new Error(`${mismatchCount} of ${starts.length} answers differ from the naive walk or from ${libraryName}`);
  }

  // 2. Throughput: warm up, then the best of several rounds for each.
  for (let pass = 0; pass < 20; pass++) timePasses(oursAdd, starts, seconds, 1);
  const ourTiming = bestOf(OUR_ROUNDS, () => timeFor(oursAdd, starts, seconds, OUR_ROUND_MS));
  const libraryTiming = bestOf(LIBRARY_ROUNDS, () => timePasses(libraryAdd, starts, seconds, 1));

  // The timed passes must give the answers verified above.
  const ourPass = timePasses(oursAdd, starts, seconds, 1).checksum;
  const libraryPass = libraryTiming.checksum;
  const ratio = ourTiming.addsPerSecond / libraryTiming.addsPerSecond;

  console.log('');
  printTable(
    ['implementation', 'adds/s', 'ns/add', 'timed', 'checksum'],
    [
      [ourName, fmtInt(ourTiming.addsPerSecond), fmtFixed(ourTiming.nsPerAdd), roundsText(ourTiming), checksumText(ourPass)],
      [libraryName, fmtInt(libraryTiming.addsPerSecond), fmtFixed(libraryTiming.nsPerAdd), roundsText(libraryTiming), checksumText(libraryPass)],
    ],
  );
  console.log('');
  const ratioOk = ratio >= GOAL_RATIO;
  const rateOk = ourTiming.addsPerSecond >= GOAL_ADDS_PER_SECOND;
  printTable(
    ['goal', 'result', 'status'],
    [
      [`concord ≥ ${GOAL_RATIO}x the library`, `${fmtFixed(ratio)}x`, ratioOk ? 'met' : 'NOT MET'],
      [`concord ≥ ${fmtInt(GOAL_ADDS_PER_SECOND)} adds/s`, `${fmtInt(ourTiming.addsPerSecond)} adds/s`, rateOk ? 'met' : 'NOT MET'],
      ['identical answers', `${mismatchCount} mismatches`, 'met'],
    ],
  );
  if (ourPass !== ourChecksum || libraryPass !== libraryChecksum) {
    throw new Error('a timed pass gave other answers than the verified ones');
  }
}

/**
 * The reference for our answers: a plain walk, day by day and interval by interval, over the
 * bench's UTC calendar (dated hours, else holidays closed, else the weekday's hours).
 */
function naiveAdd(fromMs: number, seconds: number): number {
  const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  let remaining = seconds * 1000;
  for (let day = Math.floor(fromMs / 86_400_000) * 86_400_000; ; day += 86_400_000) {
    const date = new Date(day).toISOString().slice(0, 10);
    const weekday = new Date(day).getUTCDay();
    const ranges = DATES[date] ?? (HOLIDAYS.includes(date) || weekday === 0 || weekday === 6 ? [] : HOURS);
    for (const [open, close] of ranges) {
      const start = Math.max(day + minutes(open) * 60_000, fromMs);
      const end = day + minutes(close) * 60_000;
      if (end <= start) continue;
      if (remaining <= end - start) return start + remaining;
      remaining -= end - start;
    }
  }
}

/** Whether [from, due] reaches a dated day the library cannot express. */
function spansBeyondLibrary(fromMs: number, dueMs: number): boolean {
  return BEYOND_LIBRARY.some((date) => {
    const dayStart = Date.parse(`${date}T00:00:00Z`);
    return fromMs < dayStart + 86_400_000 && dueMs > dayStart;
  });
}

// ---------------------------------------------------------------------------------------------

/**
 * Boundary inputs first (starts exactly at or next to an opening or a closing, on a Monday, a
 * Friday before a weekend, the eve of a holiday, the day before Christmas; durations that end
 * exactly on a closing), then pseudo-random ones up to `count`.
 */
function boundaryInputs(): [number, number][] {
  const days = ['2026-06-01', '2026-06-05', '2026-05-13', '2026-12-24'];
  const times = ['00:00:00', '08:59:59', '09:00:00', '12:30:00', '13:30:00', '17:59:59', '18:00:00', '18:00:01'];
  const durations = [60, 3.5 * 3600, 4.5 * 3600, WORKING_SECONDS_PER_DAY, MAX_SECONDS];
  const pairs: [number, number][] = [];
  for (const day of days) {
    for (const time of times) for (const duration of durations) pairs.push([Date.parse(`${day}T${time}Z`), duration]);
  }
  return pairs;
}

function makeInputs(count: number, seed: number): { starts: Float64Array; seconds: Float64Array } {
  const random = mulberry32(seed);
  const starts = new Float64Array(count);
  const seconds = new Float64Array(count);
  const startSpan = (LAST_START - FIRST_START) / 1000;
  const boundary = boundaryInputs().slice(0, count);
  boundary.forEach(([start, duration], i) => {
    starts[i] = start;
    seconds[i] = duration;
  });
  for (let i = boundary.length; i < count; i++) {
    starts[i] = FIRST_START + Math.floor(random() * startSpan) * 1000;
    const kind = i % 3;
    if (kind === 0) seconds[i] = (1 + Math.floor(random() * (MAX_SECONDS / 3600))) * 3600; // PT1H..PT40H
    else if (kind === 1) seconds[i] = (1 + Math.floor(random() * (MAX_SECONDS / 60))) * 60; // PT1M..PT2400M
    else seconds[i] = 60 + Math.floor(random() * (MAX_SECONDS - 60 + 1)); // PT60S..PT144000S
  }
  return { starts, seconds };
}

/** Small, well-known 32-bit PRNG: the same seed gives the same inputs on every machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function timePasses(add: AddFn, starts: Float64Array, seconds: Float64Array, passes: number): Timing {
  const n = starts.length;
  let checksum = 0;
  const begin = process.hrtime.bigint();
  for (let pass = 0; pass < passes; pass++) {
    for (let i = 0; i < n; i++) checksum = fold(checksum, add(starts[i], seconds[i]));
  }
  const elapsedNs = Number(process.hrtime.bigint() - begin);
  const adds = passes * n;
  return { addsPerSecond: (adds * 1e9) / elapsedNs, nsPerAdd: elapsedNs / adds, rounds: 1, addsPerRound: adds, checksum };
}

/** Whole passes until at least `minMs` have elapsed; one round. */
function timeFor(add: AddFn, starts: Float64Array, seconds: Float64Array, minMs: number): Timing {
  let passes = 1;
  for (;;) {
    const timing = timePasses(add, starts, seconds, passes);
    if (timing.nsPerAdd * timing.addsPerRound >= minMs * 1e6) return timing;
    passes *= 2;
  }
}

function bestOf(rounds: number, measure: () => Timing): Timing {
  let best: Timing | undefined;
  for (let round = 0; round < rounds; round++) {
    const timing = measure();
    if (!best || timing.addsPerSecond > best.addsPerSecond) best = timing;
  }
  return { ...best!, rounds };
}

/** Order-sensitive 32-bit checksum of epoch-ms results (whole seconds here). */
function fold(checksum: number, result: number): number {
  return (Math.imul(checksum, 31) + ((result / 1000) >>> 0)) | 0;
}

function safe(add: AddFn, fromMs: number, seconds: number): number | string {
  try {
    return add(fromMs, seconds);
  } catch (error) {
    return `threw ${error instanceof Error ? error.message : String(error)}`;
  }
}

// ---------------------------------------------------------------------------------------------

function printHeader(calendar: BusinessCalendar, starts: Float64Array, seconds: Float64Array): void {
  let open = 0;
  const buckets = [0, 0, 0, 0, 0];
  for (let i = 0; i < starts.length; i++) {
    if (calendar.isOpen(new Date(starts[i]))) open += 1;
    buckets[Math.min(4, Math.floor((seconds[i] - 1) / WORKING_SECONDS_PER_DAY))] += 1;
  }
  const pct = (k: number) => `${((100 * k) / starts.length).toFixed(0)}%`;
  console.log('Business-time adds: due = start + N working seconds');
  console.log(
    'calendar:  UTC, Mon–Fri 09:00–12:30 + 13:30–18:00 (8 h/day), 10 holidays (FR 2026 weekdays + 2027-01-01), ' +
      'dated hours: working Saturday 2026-06-06, short day 2026-07-13 (until 17:00), closed Friday 2026-08-14',
  );
  console.log(`inputs:    ${fmtInt(starts.length)} pairs (${boundaryInputs().length} boundary cases, the rest from seed 0x${SEED.toString(16)}); starts in 2026, ${pct(open)} inside working hours`);
  console.log(
    `durations: PT1M..PT40H (≤ 5 business days); ≤1 day ${pct(buckets[0])}, 1–2 ${pct(buckets[1])}, 2–3 ${pct(buckets[2])}, ` +
      `3–4 ${pct(buckets[3])}, 4–5 days ${pct(buckets[4])}`,
  );
  console.log(`timing:    best of ${OUR_ROUNDS} rounds (≥ ${OUR_ROUND_MS} ms each) for concord, best of ${LIBRARY_ROUNDS} pass(es) over the inputs for the library`);
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  // First column left-aligned, the others right-aligned (numbers).
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('   ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('   '));
  for (const row of rows) console.log(line(row));
}

function roundsText(timing: Timing): string {
  return `${timing.rounds} × ${fmtInt(timing.addsPerRound)}`;
}

function checksumText(checksum: number): string {
  return (checksum >>> 0).toString(16).padStart(8, '0');
}

function fmtInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function fmtFixed(value: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}

function show(value: number | string): string {
  return typeof value === 'number' ? iso(value) : value;
}

function isoDuration(totalSeconds: number): string {
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
}

function positiveIntFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
