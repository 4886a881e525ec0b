import type { Actor } from '../../access/actor.js';
import { mayKeepRecord, mayOrganise, type SeriesRoles } from './meeting-roles.js';

const MARKETING = 'dep-marketing';
const SALES = 'dep-sales';
const FINANCE = 'dep-finance';

function actor(personId: string, role: Actor['role'], departmentId: string | null): Actor {
  return { personId, email: `${personId}@example.com`, role, departmentId, tokenId: 'session:test', scope: 'full' };
}

const series: SeriesRoles = { departmentIds: [MARKETING, SALES], chairId: 'chair', minuteTakerId: 'taker' };

describe('mayOrganise', () => {
  it('lets an admin and the head of either department organise, and nobody else', () => {
    expect(mayOrganise(actor('admin', 'admin', null), series)).toBe(true);
    expect(mayOrganise(actor('maelle', 'head', MARKETING), series)).toBe(true);
    expect(mayOrganise(actor('samir', 'head', SALES), series)).toBe(true);
    expect(mayOrganise(actor('fiona', 'head', FINANCE), series)).toBe(false);
    expect(mayOrganise(actor('marc', 'member', MARKETING), series)).toBe(false);
  });
});

describe('mayKeepRecord', () => {
  it('lets the organisers, the chair and the minute-taker keep the record', () => {
    expect(mayKeepRecord(actor('admin', 'admin', null), series)).toBe(true);
    expect(mayKeepRecord(actor('maelle', 'head', MARKETING), series)).toBe(true);
    expect(mayKeepRecord(actor('chair', 'member', FINANCE), series)).toBe(true);
    expect(mayKeepRecord(actor('taker', 'member', MARKETING), series)).toBe(true);
  });

  it('refuses a participant who is none of these, and the head of another department', () => {
    expect(mayKeepRecord(actor('marc', 'member', MARKETING), series)).toBe(false);
    expect(mayKeepRecord(actor('fiona', 'head', FINANCE), series)).toBe(false);
  });

  it('names nobody as chair or minute-taker when the series has none', () => {
    const unnamed: SeriesRoles = { departmentIds: [MARKETING], chairId: null, minuteTakerId: null };
    expect(mayKeepRecord(actor('chair', 'member', MARKETING), unnamed)).toBe(false);
    expect(mayKeepRecord(actor('maelle', 'head', MARKETING), unnamed)).toBe(true);
  });
});
