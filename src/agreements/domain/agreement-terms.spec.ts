import {
  attributeTypesOf,
  describeConversionTerms,
  eventFiltersOf,
  eventTypesOf,
  findConversionStageProblems,
  findConversionTermProblems,
  findQuotaTermProblems,
  findResponseTermProblems,
  matchesEvent,
  matchesFilter,
  targetIndexFor,
  targetName,
  type ConversionTerms,
  type ResponseTerms,
} from './agreement-terms.js';

const HOT_LEADS = {
  startOn: { type: 'lead.handed_over' },
  stopOn: { type: 'lead.contacted' },
  pauseOn: { type: 'lead.on_hold' },
  resumeOn: { type: 'lead.resumed' },
  targets: [
    { when: { score: 'hot' }, within: 'PT1H' },
    { when: { score: 'warm' }, within: 'PT4H' },
    { within: 'P2D' },
  ],
  goalPercent: 95,
  warnAtPercent: 80,
};

const paths = (problems: { path: string }[]) => problems.map((p) => p.path);

describe('response terms', () => {
  it('accepts the documented example', () => {
    expect(findResponseTermProblems(HOT_LEADS)).toEqual([]);
  });

  it.each([
    ['an unknown filter field', { startOn: { type: 'lead.handed_over', score: 'hot' } }, 'response.startOn.score'],
    ['a filter without type', { stopOn: { when: { a: 'b' } } }, 'response.stopOn.type'],
    ['a type that is not a dotted name', { startOn: { type: 'lead handed over' } }, 'response.startOn.type'],
    ['an empty when', { startOn: { type: 'lead.x', when: {} } }, 'response.startOn.when'],
    ['a when with an object value', { startOn: { type: 'lead.x', when: { score: { gt: 3 } } } }, 'response.startOn.when.score'],
    ['an empty list in when', { startOn: { type: 'lead.x', when: { score: [] } } }, 'response.startOn.when.score'],
    ['stop equal to start', { stopOn: { type: 'lead.handed_over' } }, 'response.stopOn'],
    ['a pause without resume', { resumeOn: undefined }, 'response.resumeOn'],
    ['no targets', { targets: [] }, 'response.targets'],
    ['a target that is not ISO', { targets: [{ within: '1 hour' }] }, 'response.targets[0].within'],
    ['a zero target', { targets: [{ within: 'PT0S' }] }, 'response.targets[0].within'],
    ['a target after the catch-all', { targets: [{ within: 'P2D' }, { when: { score: 'hot' }, within: 'PT1H' }] }, 'response.targets[1]'],
    ['two targets with one name', { targets: [{ when: { score: 'hot' }, within: 'PT1H' }, { when: { score: 'hot' }, within: 'PT2H' }] }, 'response.targets[1]'],
    ['a goal above 100', { goalPercent: 120 }, 'response.goalPercent'],
    ['a missing goal', { goalPercent: undefined }, 'response.goalPercent'],
    ['a warning at 100', { warnAtPercent: 100 }, 'response.warnAtPercent'],
    ['an unknown term', { within: 'PT1H' }, 'response.within'],
    ['a cancel filter that is not a filter', { cancelOn: 'lead.disqualified' }, 'response.cancelOn'],
    ['a cancel type that is not a dotted name', { cancelOn: { type: 'lead disqualified' } }, 'response.cancelOn.type'],
    ['an unknown cancel filter field', { cancelOn: { type: 'lead.disqualified', reason: 'spam' } }, 'response.cancelOn.reason'],
    ['an empty when in cancel', { cancelOn: { type: 'lead.disqualified', when: {} } }, 'response.cancelOn.when'],
  ])('reports %s', (_case, change, path) => {
    expect(paths(findResponseTermProblems({ ...HOT_LEADS, ...change }))).toContain(path);
  });

  it('accepts a cancel filter', () => {
    expect(findResponseTermProblems({ ...HOT_LEADS, cancelOn: { type: 'lead.disqualified', when: { reason: ['spam', 'duplicate'] } } })).toEqual([]);
  });

  it.each([
    ['start', { type: 'lead.handed_over' }],
    ['stop', { type: 'lead.contacted' }],
  ])('refuses a cancel filter equal to the %s filter', (_case, cancelOn) => {
    expect(findResponseTermProblems({ ...HOT_LEADS, cancelOn })).toEqual([
      { path: 'response.cancelOn', message: expect.stringMatching(/must differ from startOn and stopOn/) },
    ]);
  });

  it.each([
    ['pause', { type: 'lead.on_hold' }],
    ['resume', { type: 'lead.resumed' }],
  ])('refuses a cancel filter equal to the %s filter', (_case, cancelOn) => {
    expect(findResponseTermProblems({ ...HOT_LEADS, cancelOn })).toEqual([
      { path: 'response.cancelOn', message: expect.stringMatching(/must differ from pauseOn and resumeOn/) },
    ]);
  });
});

describe('quota terms', () => {
  const quota = { countOn: { type: 'lead.mql', when: { region: 'EU' } }, period: 'month', minimum: 200 };

  it('accepts the documented example', () => {
    expect(findQuotaTermProblems(quota)).toEqual([]);
  });

  it.each([
    ['a negative minimum', { minimum: -5 }, 'quota.minimum'],
    ['a fractional minimum', { minimum: 2.5 }, 'quota.minimum'],
    ['a zero minimum', { minimum: 0 }, 'quota.minimum'],
    ['an unknown period', { period: 'fortnight' }, 'quota.period'],
    ['an unknown filter field', { countOn: { type: 'lead.mql', where: 'EU' } }, 'quota.countOn.where'],
  ])('reports %s', (_case, change, path) => {
    expect(paths(findQuotaTermProblems({ ...quota, ...change }))).toContain(path);
  });
});

describe('conversion terms', () => {
  const MQL = '0a3a1c34-0000-4000-8000-000000000001';
  const SQL = '0a3a1c34-0000-4000-8000-000000000003';
  const conversion = { fromStageId: MQL, toStageId: SQL, within: 'P10D', period: 'month', minimumPercent: 50 };
  const funnel = [
    { id: MQL, name: 'MQL', position: 2, enteredOn: { type: 'lead.mql' } },
    { id: '0a3a1c34-0000-4000-8000-000000000002', name: 'SAL', position: 3, enteredOn: null },
    { id: SQL, name: 'SQL', position: 4, enteredOn: { type: 'lead.sql' } },
  ];

  it('accepts the documented example, and a minimum of 0 or 100', () => {
    expect(findConversionTermProblems(conversion)).toEqual([]);
    expect(findConversionTermProblems({ ...conversion, minimumPercent: 0 })).toEqual([]);
    expect(findConversionTermProblems({ ...conversion, minimumPercent: 100 })).toEqual([]);
    expect(findConversionStageProblems(conversion, funnel)).toEqual([]);
  });

  it.each([
    ['a minimum above 100', { minimumPercent: 100.5 }, 'conversion.minimumPercent'],
    ['a negative minimum', { minimumPercent: -1 }, 'conversion.minimumPercent'],
    ['a minimum given as text', { minimumPercent: '50' }, 'conversion.minimumPercent'],
    ['a window in months', { within: 'P1M' }, 'conversion.within'],
    ['a zero window', { within: 'PT0S' }, 'conversion.within'],
    ['no window', { within: undefined }, 'conversion.within'],
    ['an unknown period', { period: 'fortnight' }, 'conversion.period'],
    ['a stage id that is no UUID', { fromStageId: 'MQL' }, 'conversion.fromStageId'],
    ['the same stage twice', { toStageId: MQL }, 'conversion.toStageId'],
    ['an unknown field', { goalPercent: 50 }, 'conversion.goalPercent'],
  ])('reports %s', (_case, change, path) => {
    expect(paths(findConversionTermProblems({ ...conversion, ...change }))).toContain(path);
  });

  it('names the faulty stage: unknown, entered by no event, or not after the first', () => {
    expect(paths(findConversionStageProblems({ fromStageId: MQL, toStageId: '0a3a1c34-0000-4000-8000-00000000000f' }, funnel))).toEqual(['conversion.toStageId']);
    expect(paths(findConversionStageProblems({ fromStageId: MQL, toStageId: funnel[1].id }, funnel))).toEqual(['conversion.toStageId']);
    const backwards = findConversionStageProblems({ fromStageId: SQL, toStageId: MQL }, funnel);
    expect(backwards).toEqual([{ path: 'conversion.toStageId', message: expect.stringContaining('must come after SQL') }]);
    expect(paths(findConversionStageProblems({ fromStageId: funnel[1].id, toStageId: SQL }, funnel))).toEqual(['conversion.fromStageId']);
  });

  it('listens to no event of its own: it reads the stages', () => {
    expect(eventFiltersOf({ response: null, quota: null })).toEqual([]);
    expect(eventTypesOf({ response: null, quota: null })).toEqual([]);
  });

  it('reads as heads say it', () => {
    const names: Record<string, string> = { [MQL]: 'MQL', [SQL]: 'SQL' };
    expect(describeConversionTerms(conversion as ConversionTerms, (id) => names[id] ?? id)).toBe('MQL → SQL within 10 business days, ≥ 50 % a month');
    expect(describeConversionTerms({ ...(conversion as ConversionTerms), within: 'PT4H', period: 'week' }, (id) => id)).toBe(`${MQL} → ${SQL} within 4 working hours, ≥ 50 % a week`);
  });

  it('a non-object is refused as a whole', () => {
    expect(paths(findConversionTermProblems('MQL→SQL'))).toEqual(['conversion']);
  });
});

describe('matching', () => {
  it("names the types whose attributes clocks read: the start's, and those of filters with a `when`", () => {
    expect(attributeTypesOf(HOT_LEADS as ResponseTerms)).toEqual(['lead.handed_over']);
    const filtered = {
      ...HOT_LEADS,
      startOn: { type: 'lead.handed_over', when: {} },
      stopOn: { type: 'lead.contacted', when: { channel: 'phone' } },
      pauseOn: { type: 'lead.on_hold', when: {} },
      cancelOn: { type: 'lead.lost', when: { reason: ['spam', 'duplicate'] } },
    } as ResponseTerms;
    expect(attributeTypesOf(filtered)).toEqual(['lead.handed_over', 'lead.contacted', 'lead.lost']);
  });

  it('matches equality, lists meaning any of, and values as text', () => {
    const filter = { type: 'lead.mql', when: { region: ['EU', 'UK'], score: 5 } };
    expect(matchesFilter(filter, 'lead.mql', { region: 'UK', score: 5 })).toBe(true);
    expect(matchesFilter(filter, 'lead.mql', { region: 'EU', score: '5' })).toBe(true);
    expect(matchesFilter(filter, 'lead.mql', { region: 'US', score: 5 })).toBe(false);
    expect(matchesFilter(filter, 'lead.mql', { region: 'EU' })).toBe(false);
    expect(matchesFilter(filter, 'lead.sql', { region: 'EU', score: 5 })).toBe(false);
  });

  it('matches an event as matchesFilter does, reading its attributes only when type and `when` need them', () => {
    let reads = 0;
    const event = (type: string, attributes: Record<string, unknown>) => ({
      type,
      get attributes() {
        reads += 1;
        return attributes;
      },
    });
    const filter = { type: 'lead.mql', when: { region: ['EU', 'UK'], score: 5 } };
    expect(matchesEvent(filter, event('lead.mql', { region: 'UK', score: '5' }))).toBe(true);
    expect(matchesEvent(filter, event('lead.mql', { region: 'US', score: 5 }))).toBe(false);
    expect(reads).toBe(2);
    expect(matchesEvent(filter, event('lead.sql', { region: 'EU', score: 5 }))).toBe(false);
    expect(matchesEvent({ type: 'lead.sql' }, event('lead.sql', {}))).toBe(true);
    expect(reads).toBe(2);
  });

  it('names targets and finds the first that applies', () => {
    const terms = HOT_LEADS as ResponseTerms;
    expect(terms.targets.map(targetName)).toEqual(['hot', 'warm', 'default']);
    expect(targetIndexFor(terms.targets, { score: 'warm' })).toBe(1);
    expect(targetIndexFor(terms.targets, { score: 'cold' })).toBe(2);
    expect(eventTypesOf({ response: terms })).toEqual(['lead.handed_over', 'lead.contacted', 'lead.on_hold', 'lead.resumed']);
    expect(eventTypesOf({ response: { ...terms, cancelOn: { type: 'lead.disqualified' } } })).toContain('lead.disqualified');
  });
});
