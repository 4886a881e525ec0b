import { DateTime, IANAZone } from 'luxon';

/**
 * The VTIMEZONE of an IANA zone for the years a calendar covers, written from the zone's own
 * transitions as luxon (that is, the tz data of Node's ICU) sees them — the very data the
 * occurrences were placed with, so a calendar client reads the same local times Concord stored.
 *
 * Transitions of one kind (say "+0100 → +0200, daylight") that recur on the same rule year after
 * year ("last Sunday of March, 02:00") become one observance with a yearly RRULE, the form every
 * client (Outlook included) understands; a rule that changes ends with an UNTIL and the new one
 * starts; a one-off change is an observance of its own. A zone without changes is one STANDARD.
 */

const WEEK_SECONDS = 7 * 86_400;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

interface Transition {
  /** First second (epoch) at the new offset. */
  at: number;
  from: number;
  to: number;
  daylight: boolean;
  name: string | null;
  /** The local wall-clock time at which it happens, read in the offset before it. */
  local: DateTime;
  /** Yearly rules it fits: "BYDAY=-1SU", "BYDAY=5SU", "BYMONTHDAY=22". */
  rules: string[];
}

interface Run {
  first: Transition;
  last: Transition;
  rules: string[];
}

/** Throws for a name that is not an IANA zone. */
export function vtimezone(zone: string, fromYear: number, toYear: number): string {
  const iana = IANAZone.create(zone);
  if (!iana.isValid) throw new Error(`unknown time zone "${zone}"`);
  const offset = (second: number) => Math.round(iana.offset(second * 1000));
  // A year earlier than asked, so that the first change read covers the first time asked for.
  const start = Date.UTC(fromYear - 1, 0, 1) / 1000;
  const end = Date.UTC(toYear + 1, 0, 1) / 1000;
  const transitions = scan(zone, offset, start, end);

  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`, `X-LIC-LOCATION:${zone}`];
  if (transitions.length === 0 || transitions[0].at > Date.UTC(fromYear, 0, 1) / 1000) {
    // The offset in force from the start: a change with no change.
    const initial = offset(start);
    const at = DateTime.fromSeconds(start, { zone });
    lines.push(
      ...observance(at.isInDST, transitions.length === 0 ? DateTime.utc(1970, 1, 1) : at.setZone('utc', { keepLocalTime: true }), initial, initial, nameOf(at), null),
    );
  }
  const kinds = new Map<string, Transition[]>();
  for (const transition of transitions) {
    const key = `${transition.daylight}|${transition.from}|${transition.to}|${transition.name}`;
    kinds.set(key, [...(kinds.get(key) ?? []), transition]);
  }
  for (const sameKind of kinds.values()) {
    const runs = runsOf(sameKind);
    runs.forEach((run, index) => {
      let rule: string | null = null;
      if (run.first !== run.last) {
        const openEnded = index === runs.length - 1 && run.last.local.year === toYear;
        rule = `FREQ=YEARLY;BYMONTH=${run.first.local.month};${run.rules[0]}`;
        if (!openEnded) rule += `;UNTIL=${DateTime.fromSeconds(run.last.at, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss'Z'")}`;
      }
      lines.push(...observance(run.first.daylight, run.first.local, run.first.from, run.first.to, run.first.name, rule));
    });
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

/** Every change of offset between two instants: a week at a time, each change found to the second. */
function scan(zone: string, offset: (second: number) => number, start: number, end: number): Transition[] {
  const transitions: Transition[] = [];
  let at = start;
  let current = offset(at);
  while (at < end) {
    const next = Math.min(at + WEEK_SECONDS, end);
    if (offset(next) === current) {
      at = next;
      continue;
    }
    let low = at;
    let high = next;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (offset(middle) === current) low = middle;
      else high = middle;
    }
    const to = offset(high);
    transitions.push(describe(zone, high, current, to));
    current = to;
    at = high;
  }
  return transitions;
}

function describe(zone: string, at: number, from: number, to: number): Transition {
  const after = DateTime.fromSeconds(at, { zone });
  const local = DateTime.fromSeconds(at + from * 60, { zone: 'utc' });
  const weekday = WEEKDAYS[local.weekday - 1];
  const rules = [];
  if (local.day + 7 > (local.daysInMonth as number)) rules.push(`BYDAY=-1${weekday}`);
  rules.push(`BYDAY=${Math.ceil(local.day / 7)}${weekday}`, `BYMONTHDAY=${local.day}`);
  return { at, from, to, daylight: after.isInDST, name: nameOf(after), local, rules };
}

/** Transitions of one kind, grouped where one yearly rule gives them year after year. */
function runsOf(transitions: Transition[]): Run[] {
  const runs: Run[] = [];
  for (const transition of transitions) {
    const run = runs.at(-1);
    if (run) {
      const rules = run.rules.filter((rule) => transition.rules.includes(rule));
      const follows =
        transition.local.year === run.last.local.year + 1 &&
        transition.local.month === run.first.local.month &&
        transition.local.toFormat('HHmmss') === run.first.local.toFormat('HHmmss');
      if (follows && rules.length > 0) {
        Object.assign(run, { last: transition, rules });
        continue;
      }
    }
    runs.push({ first: transition, last: transition, rules: transition.rules });
  }
  return runs;
}

function observance(daylight: boolean, local: DateTime, from: number, to: number, name: string | null, rule: string | null): string[] {
  const kind = daylight ? 'DAYLIGHT' : 'STANDARD';
  return [
    `BEGIN:${kind}`,
    `DTSTART:${local.toFormat("yyyyLLdd'T'HHmmss")}`,
    ...(rule ? [`RRULE:${rule}`] : []),
    `TZOFFSETFROM:${formatOffset(from)}`,
    `TZOFFSETTO:${formatOffset(to)}`,
    ...(name ? [`TZNAME:${name}`] : []),
    `END:${kind}`,
  ];
}

/** "+0100", "-0330". */
function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}${String(absolute % 60).padStart(2, '0')}`;
}

/** An abbreviation people know ("CET", "EDT", "GMT"), or none rather than "GMT+1". */
function nameOf(at: DateTime): string | null {
  for (const locale of ['en-GB', 'en-US']) {
    const name = at.setLocale(locale).offsetNameShort;
    if (name && !/^(GMT|UTC)[+-−]/.test(name)) return name;
  }
  return null;
}
