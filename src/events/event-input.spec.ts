import { contentHash, readEvent, sameContent } from './event-input.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const good = { type: 'lead.handed_over', subject: 'L-1042', occurredAt: '2026-11-02T09:15:00+01:00', attributes: { score: 'hot', rank: 3, vip: true, note: null }, key: 'crm-77812' };

describe('readEvent', () => {
  it('reads the documented example', () => {
    const reading = readEvent(good, NOW);
    expect(reading).toEqual({
      event: {
        type: 'lead.handed_over',
        subject: 'L-1042',
        occurredAt: new Date('2026-11-02T08:15:00Z'),
        attributes: { score: 'hot', rank: 3, vip: true, note: null },
        key: 'crm-77812',
        dedupeKey: 'k:crm-77812',
      },
    });
  });

  it('keys an event without key by its content, whatever the order of its attributes', () => {
    const a = readEvent({ ...good, key: undefined, attributes: { a: 1, b: 2 } }, NOW);
    const b = readEvent({ ...good, key: undefined, attributes: { b: 2, a: 1 } }, NOW);
    if (!('event' in a) || !('event' in b)) throw new Error('expected events');
    expect(a.event.dedupeKey).toMatch(/^h:[0-9a-f]{64}$/);
    expect(a.event.dedupeKey).toBe(b.event.dedupeKey);
    const later = readEvent({ ...good, key: undefined, attributes: { a: 1, b: 2 }, occurredAt: '2026-11-02T09:15:01+01:00' }, NOW);
    if (!('event' in later)) throw new Error('expected an event');
    expect(later.event.dedupeKey).not.toBe(a.event.dedupeKey);
  });

  it.each([
    ['not an object', 'lead.handed_over', 'event'],
    ['a list', [good], 'event'],
    ['a type with spaces', { ...good, type: 'lead handed over' }, 'type'],
    ['a missing subject', { ...good, subject: undefined }, 'subject'],
    ['a subject that is a number', { ...good, subject: 1042 }, 'subject'],
    ['a local time without offset', { ...good, occurredAt: '2026-11-02T09:15:00' }, 'occurredAt'],
    ['an impossible date', { ...good, occurredAt: '2026-02-30T09:15:00Z' }, 'occurredAt'],
    ['a time two days ahead', { ...good, occurredAt: '2026-11-22T12:00:01Z' }, 'occurredAt'],
    ['attributes as a list', { ...good, attributes: ['hot'] }, 'attributes'],
    ['a nested attribute', { ...good, attributes: { score: { value: 'hot' } } }, 'attributes.score'],
    ['an empty key', { ...good, key: '' }, 'key'],
    ['an unknown field', { ...good, score: 'hot' }, 'score'],
  ])('refuses %s, naming %s', (_case, input, field) => {
    const reading = readEvent(input, NOW);
    expect('errors' in reading && Object.keys(reading.errors)).toContain(field);
  });

  it('accepts a time up to a day ahead: CRM clocks drift', () => {
    expect('event' in readEvent({ ...good, occurredAt: '2026-11-21T11:59:59Z' }, NOW)).toBe(true);
  });
});

describe('sameContent', () => {
  it('tells a repeat from a key reused for another event', () => {
    const reading = readEvent(good, NOW);
    if (!('event' in reading)) throw new Error('expected an event');
    const stored = { type: good.type, subject: good.subject, occurredAt: Date.parse(good.occurredAt), attributes: good.attributes };
    expect(sameContent(stored, reading.event)).toBe(true);
    expect(sameContent({ ...stored, subject: 'L-9' }, reading.event)).toBe(false);
    expect(sameContent({ ...stored, attributes: { score: 'warm' } }, reading.event)).toBe(false);
    expect(contentHash('a.b', 's', 1, { x: 1 })).not.toBe(contentHash('a.b', 's', 1, { x: '1' }));
  });
});
