/**
 * The sweep: 1,000,000 running clocks of which 10,000 are overdue. Goals (issue): the sweep that
 * breaches them takes ≤ 1 s, and ≤ 3× a raw indexed UPDATE of those rows.
 *
 * State: a SQLite file migrated by the service, with the org, a round-the-clock UTC calendar and
 * the two agreements of the examples signed over the API (so versions, calendar, stages and
 * owners are real rows), then 1,000,000 clocks of "Hot leads are called fast" written directly
 * in SQL (indexes dropped while loading and recreated from their DDL): all running and pending,
 * pinned to the version in force and the calendar's current version, targets hot 1 h / warm 4 h /
 * P2D (30/30/40 %), started within one target before now; exactly 10,000 fell due within the last
 * hour, the rest fall due after now. Clocks past 80 % of their target were already warned by
 * earlier sweeps (steady state), so the warning step finds nothing new.
 *
 * Timed, through the Nest application context, best of BENCH_SWEEP_ROUNDS (5), the state reset
 * (untimed) between rounds: `SweepService.breachOverdueClocks(now)` (the goal), each other step
 * of `sweep()` on its own, and the whole `sweep()`.
 * Baseline, on an identical copy of the file (same journal mode and synchronous setting), best of
 * the same number of rounds: the raw `UPDATE clocks SET outcome='breached', breached_at=due_at
 * WHERE outcome='pending' AND state='running' AND due_at <= ?` with better-sqlite3.
 *
 * Verification: before timing, one untimed sweep must breach exactly the 10,000 overdue clocks
 * and write one breach each, owned by the provider department, due at the clock's due time;
 * every timed round must report 10,000 again, and each raw UPDATE must change 10,000 rows.
 *
 * Sizes: BENCH_SWEEP_CLOCKS (1,000,000) and BENCH_SWEEP_OVERDUE (10,000), or both × BENCH_SCALE.
 */
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../src/common/clock.js';
import { SweepService } from '../src/tracking/sweep.service.js';
import {
  ALWAYS_OPEN,
  bulkLoad,
  createCalendar,
  fmtFixed,
  fmtInt,
  fmtMs,
  hotLeads,
  mulberry32,
  nowMs,
  positiveIntFromEnv,
  printTable,
  qualifiedLeads,
  scaled,
  seedOrg,
  signAgreement,
  sqliteInstant,
  startConcord,
  status,
  tempDirectory,
  timed,
} from './support/concord.js';

const CLOCKS = positiveIntFromEnv('BENCH_SWEEP_CLOCKS', scaled(1_000_000, 1000));
const OVERDUE = positiveIntFromEnv('BENCH_SWEEP_OVERDUE', scaled(10_000, 10));
const ROUNDS = positiveIntFromEnv('BENCH_SWEEP_ROUNDS', 5);
const SEED = 0x53ee9;
const GOAL_MS = 1000;
const GOAL_RATIO = 3;

const SIGNED_AT = '2026-10-26T08:00:00Z';
const NOW = Date.parse('2026-11-02T10:00:00Z');
const TARGETS = [
  { index: 0, name: 'hot', seconds: 3600, share: 0.3 },
  { index: 1, name: 'warm', seconds: 4 * 3600, share: 0.3 },
  { index: 2, name: 'default', seconds: 2 * 24 * 3600, share: 0.4 }, // P2D round the clock
];

const RAW_UPDATE = `UPDATE clocks SET outcome = 'breached', breached_at = due_at WHERE outcome = 'pending' AND state = 'running' AND due_at <= ?`;
const RESET = [`UPDATE clocks SET outcome = 'pending', breached_at = NULL WHERE outcome = 'breached'`, `DELETE FROM breaches WHERE kind = 'response'`];

type Step = 'recomputeStaleCalendars' | 'breachOverdueClocks' | 'warnAtRiskClocks' | 'openCurrentPeriods' | 'closeEndedPeriods';
const STEPS: Step[] = ['recomputeStaleCalendars', 'breachOverdueClocks', 'warnAtRiskClocks', 'openCurrentPeriods', 'closeEndedPeriods'];

export async function run(): Promise<void> {
  if (OVERDUE > CLOCKS) throw new Error('BENCH_SWEEP_OVERDUE must not exceed BENCH_SWEEP_CLOCKS');
  const dir = tempDirectory('sweep');
  try {
    const file = dir.file('concord.sqlite');
    const clock = new ManualClock(SIGNED_AT);

    // 1. Org, calendar and agreements through the service.
    let setup: { agreementId: string; versionId: string; calendarVersion: number; salesId: string };
    {
      const concord = await startConcord({ sqlitePath: file, clock, listen: true });
      try {
        const org = await seedOrg(concord.url);
        const calendarId = await createCalendar(concord.url, ALWAYS_OPEN);
        const agreementId = await signAgreement(concord.url, org, hotLeads(org, calendarId));
        await signAgreement(concord.url, org, qualifiedLeads(org, calendarId));
        const [version] = await concord.dataSource.query(`SELECT id FROM agreement_versions WHERE agreement_id = ? AND status = 'active'`, [agreementId]);
        const [calendar] = await concord.dataSource.query(`SELECT version FROM calendars WHERE id = ?`, [calendarId]);
        setup = { agreementId, versionId: version.id, calendarVersion: Number(calendar.version), salesId: org.salesId };
      } finally {
        await concord.close();
      }
    }

    // 2. A million running clocks, straight into SQL.
    const built = await timed(() => buildClocks(file, setup));
    const overdueCount = built.value;
    if (overdueCount !== OVERDUE) throw new Error(`generator made ${overdueCount} overdue clocks, expected ${OVERDUE}`);
    const copy = dir.file('raw.sqlite');
    copyFileSync(file, copy);
    printHeader(built.ms);

    // 3. The service: one verified sweep, then the timed rounds.
    clock.set(new Date(NOW));
    const now = new Date(NOW);
    const concord = await startConcord({ sqlitePath: file, clock });
    const best = new Map<string, number>();
    const keep = (name: string, ms: number) => best.set(name, Math.min(best.get(name) ?? Infinity, ms));
    let pragmas: { journal: string; synchronous: number };
    let firstSweep: { ms: number; report: Awaited<ReturnType<SweepService['sweep']>> };
    try {
      const sweeps = concord.app.get(SweepService);
      const query = (sql: string, parameters: unknown[] = []) => concord.dataSource.query(sql, parameters) as Promise<Record<string, unknown>[]>;
      const reset = async () => {
        for (const sql of RESET) await query(sql);
      };
      pragmas = {
        journal: String((await query('PRAGMA journal_mode'))[0].journal_mode),
        synchronous: Number((await query('PRAGMA synchronous'))[0].synchronous),
      };

      const first = await timed(() => sweeps.sweep());
      firstSweep = { ms: first.ms, report: first.value };
      await verifySweep(query, first.value.breached, setup.salesId);
      await reset();

      for (let round = 0; round < ROUNDS; round++) {
        const breach = await timed(() => sweeps.breachOverdueClocks(now));
        if (breach.value !== OVERDUE) throw new Error(`round ${round + 1}: breachOverdueClocks breached ${breach.value}, expected ${OVERDUE}`);
        keep('breachOverdueClocks', breach.ms);
        await reset();

        const whole = await timed(() => sweeps.sweep());
        if (whole.value.breached !== OVERDUE) throw new Error(`round ${round + 1}: sweep() breached ${whole.value.breached}, expected ${OVERDUE}`);
        keep('sweep', whole.ms);
        await reset();

        for (const step of STEPS) {
          if (step === 'breachOverdueClocks') continue;
          const ms = (
            await timed(async () => {
              if (step === 'recomputeStaleCalendars') await sweeps.recomputeStaleCalendars();
              else await sweeps[step](now);
            })
          ).ms;
          keep(step, ms);
        }
      }
    } finally {
      await concord.close();
    }

    // 4. The baseline on the copy.
    const db = new Database(copy);
    let rawMs = Infinity;
    try {
      db.pragma(`journal_mode = ${pragmas.journal}`);
      db.pragma(`synchronous = ${pragmas.synchronous}`);
      const update = db.prepare(RAW_UPDATE);
      const resetClocks = db.prepare(RESET[0]);
      for (let round = 0; round < ROUNDS; round++) {
        const begin = nowMs();
        const changed = update.run(sqliteInstant(NOW)).changes;
        const ms = nowMs() - begin;
        if (changed !== OVERDUE) throw new Error(`raw UPDATE changed ${changed} rows, expected ${OVERDUE}`);
        rawMs = Math.min(rawMs, ms);
        resetClocks.run();
      }
    } finally {
      db.close();
    }

    const breachMs = best.get('breachOverdueClocks') as number;
    const sweepMs = best.get('sweep') as number;
    const ratio = breachMs / rawMs;
    const r = firstSweep.report;
    console.log(
      `verification: first sweep (${fmtMs(firstSweep.ms)}) breached ${fmtInt(r.breached)}, warned ${r.warned}, recomputed ${r.recomputed}, ` +
        `closed ${r.periodsClosed} quota period(s); ${fmtInt(OVERDUE)} breaches, one per overdue clock; every round and raw UPDATE: ${fmtInt(OVERDUE)} rows`,
    );
    console.log(`sqlite:       journal_mode=${pragmas.journal}, synchronous=${pragmas.synchronous} on both`);
    console.log('');
    printTable(
      ['operation', 'best time', 'vs raw UPDATE', 'timed'],
      [
        ['SweepService.breachOverdueClocks(now)', fmtMs(breachMs), `${fmtFixed(ratio)}×`, `best of ${ROUNDS}`],
        ...STEPS.filter((step) => step !== 'breachOverdueClocks').map((step) => [`  other sweep step: ${step}`, fmtMs(best.get(step) as number), '', `best of ${ROUNDS}`]),
        ['SweepService.sweep() (all steps)', fmtMs(sweepMs), `${fmtFixed(sweepMs / rawMs)}×`, `best of ${ROUNDS}`],
        ['raw better-sqlite3 UPDATE (baseline)', fmtMs(rawMs), '1.0×', `best of ${ROUNDS}`],
      ],
    );
    console.log('');
    printTable(
      ['goal', 'result', 'status'],
      [
        [`breachOverdueClocks ≤ ${fmtMs(GOAL_MS)}`, fmtMs(breachMs), status(breachMs <= GOAL_MS)],
        [`breachOverdueClocks ≤ ${GOAL_RATIO}× the raw UPDATE`, `${fmtFixed(ratio)}×`, status(ratio <= GOAL_RATIO)],
        [`(for information) whole sweep() ≤ ${fmtMs(GOAL_MS)}`, fmtMs(sweepMs), status(sweepMs <= GOAL_MS)],
        [`(for information) whole sweep() ≤ ${GOAL_RATIO}× the raw UPDATE`, `${fmtFixed(sweepMs / rawMs)}×`, status(sweepMs / rawMs <= GOAL_RATIO)],
      ],
    );
  } finally {
    dir.remove();
  }
}

// ---------------------------------------------------------------------------------------------

/** Writes the clocks; returns how many are due at or before NOW. */
function buildClocks(file: string, setup: { agreementId: string; versionId: string; calendarVersion: number }): number {
  const random = mulberry32(SEED);
  const ids = Array.from({ length: CLOCKS }, () => randomUUID()).sort();
  // Which clocks are overdue: OVERDUE distinct positions (partial Fisher–Yates over the indexes).
  const order = new Uint32Array(CLOCKS);
  for (let i = 0; i < CLOCKS; i++) order[i] = i;
  const overdue = new Uint8Array(CLOCKS);
  for (let i = 0; i < OVERDUE; i++) {
    const j = i + Math.floor(random() * (CLOCKS - i));
    [order[i], order[j]] = [order[j], order[i]];
    overdue[order[i]] = 1;
  }
  let dueByNow = 0;
  bulkLoad(file, 'clocks', (db) => {
    const insert = db.prepare(
      `INSERT INTO clocks (id, agreement_id, version_id, subject, start_event_id, cycle, target_index, target_name, target_seconds,
         state, outcome, started_at, stopped_at, due_at, warn_at, warned_at, breached_at, elapsed_seconds, paused_seconds,
         calendar_version, steps, updated_at)
       VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, 'running', 'pending', ?, NULL, ?, ?, ?, NULL, 0, 0, ?, ?, ?)`,
    );
    for (let i = 0; i < CLOCKS; i++) {
      const pick = random();
      const target = pick < TARGETS[0].share ? TARGETS[0] : pick < TARGETS[0].share + TARGETS[1].share ? TARGETS[1] : TARGETS[2];
      const targetMs = target.seconds * 1000;
      // Overdue: due within the last hour; else due within one target after now (started before now).
      const due = overdue[i] ? NOW - 1000 * (1 + Math.floor(random() * 3600)) : NOW + 1000 * (1 + Math.floor(random() * (target.seconds - 1)));
      if (due <= NOW) dueByNow += 1;
      const started = due - targetMs;
      const warn = started + Math.floor(target.seconds * 0.8) * 1000;
      const startEventId = randomUUID();
      const steps = JSON.stringify([{ action: 'start', at: new Date(started).toISOString(), eventId: startEventId, eventType: 'lead.handed_over' }]);
      insert.run(
        ids[i],
        setup.agreementId,
        setup.versionId,
        `L-${String(i + 1).padStart(7, '0')}`,
        startEventId,
        target.index,
        target.name,
        target.seconds,
        sqliteInstant(started),
        sqliteInstant(due),
        sqliteInstant(warn),
        warn <= NOW ? sqliteInstant(warn) : null,
        setup.calendarVersion,
        steps,
        sqliteInstant(started),
      );
    }
  });
  return dueByNow;
}

async function verifySweep(
  query: (sql: string, parameters?: unknown[]) => Promise<Record<string, unknown>[]>,
  reported: number,
  salesId: string,
): Promise<void> {
  const one = async (sql: string, parameters: unknown[] = []) => Number(Object.values((await query(sql, parameters))[0])[0]);
  const now = sqliteInstant(NOW);
  const problems: string[] = [];
  const expect = (what: string, actual: number) => {
    if (actual !== OVERDUE) problems.push(`${what}: ${fmtInt(actual)}, expected ${fmtInt(OVERDUE)}`);
  };
  expect('sweep reported breached', reported);
  expect('clocks breached', await one(`SELECT COUNT(*) FROM clocks WHERE outcome = 'breached'`));
  expect('clocks breached at their due time, due by now', await one(`SELECT COUNT(*) FROM clocks WHERE outcome = 'breached' AND breached_at = due_at AND due_at <= ?`, [now]));
  expect(
    'breaches of those clocks, owned by Sales, due when the clock was',
    await one(
      `SELECT COUNT(*) FROM breaches b JOIN clocks c ON c.id = b.clock_id
       WHERE b.kind = 'response' AND c.outcome = 'breached' AND b.due_at = c.due_at AND b.department_id = ? AND b.withdrawn_at IS NULL`,
      [salesId],
    ),
  );
  expect('response breaches', await one(`SELECT COUNT(*) FROM breaches WHERE kind = 'response'`));
  if (problems.length > 0) throw new Error(`the sweep did not breach what it should:\n  ${problems.join('\n  ')}`);
}

function printHeader(buildMs: number): void {
  console.log('Sweep: running clocks fall due; SweepService against a raw indexed UPDATE of the same rows (SQLite file, WAL)');
  console.log(
    `clocks:   ${fmtInt(CLOCKS)} running (hot 1 h 30 %, warm 4 h 30 %, P2D 40 %, round-the-clock calendar), ${fmtInt(OVERDUE)} due within the hour before now; ` +
      `built in ${fmtMs(buildMs)} (seed 0x${SEED.toString(16)})`,
  );
  console.log(`timing:   best of ${ROUNDS} rounds each, breaches and outcomes reset between rounds (untimed); the raw UPDATE runs on a copy of the file`);
}
