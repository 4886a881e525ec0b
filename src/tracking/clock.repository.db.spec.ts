import type { DataSource, EntityMetadata } from 'typeorm';
import { openTestDataSource } from '../../test/support/test-database.js';
import { ClockRepository, COLUMNS_RECOMPUTATION_KEEPS, storedClockDiffers, storedColumns } from './clock.repository.js';
import { SlaClock } from './sla-clock.entity.js';

/**
 * The clocks table's hand-written SQL on a real database (in-memory SQLite, or PostgreSQL when
 * DATABASE_URL is set): every column the entity maps is written and read back as it was.
 */
describe(`the clock repository on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: { dataSource: DataSource; close(): Promise<void> };
  let clocks: ClockRepository;
  let sequence = 0;

  beforeAll(async () => {
    database = await openTestDataSource();
    clocks = new ClockRepository(database.dataSource);
  });
  afterAll(async () => database?.close());

  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const at = (iso: string) => new Date(iso);

  /** A clock with every column set, each to a value of its own, instants to the millisecond. */
  function everyColumn(overrides: Partial<SlaClock> = {}): SlaClock {
    sequence += 1;
    return Object.assign(new SlaClock(), {
      id: uuid(sequence),
      agreementId: uuid(900_001),
      versionId: uuid(900_002),
      subject: `lead-${sequence}`,
      startEventId: uuid(800_000 + sequence),
      cycle: 2,
      targetIndex: 1,
      targetName: 'hot',
      targetSeconds: 3600,
      state: 'stopped',
      outcome: 'breached',
      startedAt: at('2026-11-02T08:00:00.123Z'),
      stoppedAt: at('2026-11-02T10:30:00.456Z'),
      dueAt: at('2026-11-02T09:00:00.789Z'),
      warnAt: at('2026-11-02T08:45:00.001Z'),
      warnedAt: at('2026-11-02T08:45:30.002Z'),
      breachedAt: at('2026-11-02T09:00:00.789Z'),
      elapsedSeconds: 5400,
      pausedSeconds: 120,
      calendarVersion: 7,
      steps: [
        { action: 'start', at: '2026-11-02T08:00:00.123Z', eventId: uuid(800_000 + sequence), eventType: 'lead.handed_over' },
        { action: 'stop', at: '2026-11-02T10:30:00.456Z', eventId: uuid(700_000 + sequence), eventType: 'lead.called' },
      ],
      updatedAt: at('2026-11-02T10:30:01.003Z'),
      ...overrides,
    });
  }

  const loadOne = async (clock: SlaClock) => {
    const found = await clocks.load(database.dataSource.manager, [clock.agreementId], [clock.subject]);
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('is tested with a clock that sets every column the entity maps (a new column must be added here)', () => {
    const mapped = database.dataSource.getMetadata(SlaClock).columns.map((column) => column.propertyName);
    const clock = everyColumn();
    const set = Object.keys(clock).filter((property) => clock[property as keyof SlaClock] !== undefined && clock[property as keyof SlaClock] !== null);
    expect(set.sort()).toEqual([...mapped].sort());
  });

  it('notices a recomputed clock that differs in any column a recomputation decides (a new column must be compared or listed as kept)', () => {
    const mapped = database.dataSource.getMetadata(SlaClock).columns.map((column) => column.propertyName as keyof SlaClock);
    const stored = everyColumn();
    const changedValue = (value: unknown): unknown => {
      if (value instanceof Date) return new Date(value.getTime() + 1000);
      if (typeof value === 'number') return value + 1;
      if (typeof value === 'string') return `${value}-changed`;
      if (Array.isArray(value)) return [...value, { action: 'pause', at: '2026-11-02T11:00:00.000Z' }];
      return { changed: true };
    };
    const unnoticed = mapped
      .filter((property) => !COLUMNS_RECOMPUTATION_KEEPS.includes(property))
      .filter((property) => !storedClockDiffers(stored, Object.assign(new SlaClock(), stored, { [property]: changedValue(stored[property]) })));
    expect(unnoticed).toEqual([]);
    expect(storedClockDiffers(stored, Object.assign(new SlaClock(), stored))).toBe(false);
    expect(COLUMNS_RECOMPUTATION_KEEPS.filter((property) => !mapped.includes(property))).toEqual([]);
  });

  it('reads back every column as it was written', async () => {
    const clock = everyColumn();
    await clocks.save(database.dataSource.manager, [clock]);
    expect(await loadOne(clock)).toStrictEqual(clock);
  });

  it('keeps the nulls of the nullable columns, and rewrites a clock in place', async () => {
    const clock = everyColumn({ state: 'paused', outcome: 'pending', stoppedAt: null, dueAt: null, warnAt: null, warnedAt: null, breachedAt: null });
    await clocks.save(database.dataSource.manager, [clock]);
    expect(await loadOne(clock)).toStrictEqual(clock);

    const resumed = Object.assign(new SlaClock(), clock, { state: 'running', dueAt: at('2026-11-03T09:00:00.000Z'), calendarVersion: 8, steps: [] });
    await clocks.save(database.dataSource.manager, [resumed]);
    expect(await loadOne(clock)).toStrictEqual(resumed);
  });

  it('writes text that array literals quote (braces, commas, quotes, backslashes, NULL, far-off characters) as it is', async () => {
    // On PostgreSQL clocks are written from one array per column: each value travels inside an
    // array literal, where these characters mean something.
    const awkward = ['{"a,b"}', 'back\\slash \\" quote', 'NULL', '', ' spaced ', 'é 𝄞 \u2028 ,{}"'];
    const written = awkward.map((subject, i) =>
      everyColumn({ subject, targetName: awkward[(i + 1) % awkward.length].slice(0, 60), steps: [{ action: 'start', at: subject, eventId: uuid(1), eventType: '{,}' }] as SlaClock['steps'] }),
    );
    await clocks.save(database.dataSource.manager, written);
    for (const clock of written) expect(await loadOne(clock)).toStrictEqual(clock);
  });

  it('writes and reads hundreds of clocks, over several statements', async () => {
    const many = Array.from({ length: 650 }, () => everyColumn({ agreementId: uuid(900_003) }));
    await clocks.save(database.dataSource.manager, many);
    const loaded = await clocks.load(database.dataSource.manager, [uuid(900_003)], many.map((clock) => clock.subject));
    const byId = (a: SlaClock, b: SlaClock) => a.id.localeCompare(b.id);
    expect(loaded.sort(byId)).toStrictEqual(many.sort(byId));
  });

  it('claims each overdue open clock once, as breached at its due time', async () => {
    const agreementId = uuid(900_004);
    const open = { agreementId, outcome: 'pending', stoppedAt: null, breachedAt: null, warnAt: null, warnedAt: null } as const;
    const due = everyColumn({ ...open, state: 'running', dueAt: at('2026-11-02T09:00:00Z') });
    const pausedDue = everyColumn({ ...open, state: 'paused', dueAt: at('2026-11-02T09:30:00Z') });
    const notYet = everyColumn({ ...open, state: 'running', dueAt: at('2026-11-02T11:00:00Z') });
    const stopped = everyColumn({ agreementId, state: 'stopped', outcome: 'met', dueAt: at('2026-11-02T09:00:00Z'), breachedAt: null });
    await clocks.save(database.dataSource.manager, [due, pausedDue, notYet, stopped]);

    const now = at('2026-11-02T10:00:00Z');
    const claimed = await database.dataSource.transaction((manager) => clocks.claimOverdue(manager, now));
    expect(claimed.sort((a, b) => a.breachedAt.getTime() - b.breachedAt.getTime())).toEqual([
      { id: due.id, agreementId, versionId: due.versionId, subject: due.subject, breachedAt: due.dueAt },
      { id: pausedDue.id, agreementId, versionId: pausedDue.versionId, subject: pausedDue.subject, breachedAt: pausedDue.dueAt },
    ]);
    expect(await loadOne(due)).toStrictEqual(Object.assign(new SlaClock(), due, { outcome: 'breached', breachedAt: due.dueAt, updatedAt: now }));
    expect(await loadOne(notYet)).toStrictEqual(notYet);
    expect(await loadOne(stopped)).toStrictEqual(stopped);
    expect(await database.dataSource.transaction((manager) => clocks.claimOverdue(manager, now))).toEqual([]);
  });

  it('claims each running clock past its warning instant once', async () => {
    const agreementId = uuid(900_005);
    const open = { agreementId, outcome: 'pending', stoppedAt: null, breachedAt: null, warnedAt: null, dueAt: at('2026-11-05T09:00:00Z') } as const;
    const atRisk = everyColumn({ ...open, state: 'running', warnAt: at('2026-11-04T09:00:00Z') });
    const paused = everyColumn({ ...open, state: 'paused', warnAt: at('2026-11-04T09:00:00Z') });
    await clocks.save(database.dataSource.manager, [atRisk, paused]);

    const now = at('2026-11-04T10:00:00Z');
    expect(await database.dataSource.transaction((manager) => clocks.claimAtRisk(manager, now))).toEqual([{ id: atRisk.id, versionId: atRisk.versionId }]);
    expect(await loadOne(atRisk)).toStrictEqual(Object.assign(new SlaClock(), atRisk, { warnAt: null, warnedAt: now }));
    expect(await loadOne(paused)).toStrictEqual(paused);
    expect(await database.dataSource.transaction((manager) => clocks.claimAtRisk(manager, now))).toEqual([]);
  });

  it('refuses, when it is made, a column type it does not know how to carry', () => {
    const metadata = { columns: [{ propertyName: 'urgent', databaseName: 'urgent', isPrimary: false, type: 'boolean' }] } as unknown as EntityMetadata;
    expect(() => storedColumns(metadata)).toThrow('clocks.urgent has a column type (boolean) the clock repository does not convert');
  });
});
