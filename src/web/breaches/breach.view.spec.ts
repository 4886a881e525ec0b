import type { Actor } from '../../access/actor.js';
import type { BreachDetailView, BreachView } from '../../tracking/tracking.dto.js';
import { Directory } from '../directory.js';
import { readBreachFilters } from './breach-filters.js';
import { detailTitle, presentDetail, presentList } from './breach.view.js';

const MARKETING = 'dep-marketing';
const SALES = 'dep-sales';
const ZONE = 'Europe/Paris';

const directory = new Directory(
  [
    { id: 'p-maelle', name: 'Maëlle' },
    { id: 'p-samir', name: 'Samir' },
  ],
  [
    { id: MARKETING, name: 'Marketing' },
    { id: SALES, name: 'Sales' },
  ],
);

function actor(personId: string, role: Actor['role'], departmentId: string | null): Actor {
  return { personId, email: `${personId}@example.com`, role, departmentId, tokenId: 'session:test', scope: 'full' };
}

function breach(extra: Partial<BreachView> = {}): BreachView {
  return {
    id: 'br1',
    kind: 'response',
    agreementId: 'a1',
    agreementName: 'MQL follow-up',
    versionId: 'v1',
    subject: 'L-1042',
    clockId: 'c1',
    quotaPeriodId: null,
    conversionPeriodId: null,
    targetName: 'hot',
    departmentId: MARKETING,
    ownerId: 'p-maelle',
    dueAt: '2026-11-09T10:00:00.000Z',
    detectedAt: '2026-11-09T10:01:00.000Z',
    lateSeconds: 3600,
    shortfall: null,
    conversion: null,
    joint: false,
    explained: false,
    cause: null,
    correctiveAction: null,
    explainedAt: null,
    explainedBy: null,
    withdrawnAt: null,
    consumerDepartmentId: SALES,
    reviewStatus: null,
    subjectUrl: null,
    ...extra,
  };
}

function detail(extra: Partial<BreachDetailView> = {}): BreachDetailView {
  return { ...breach(), history: [], review: null, ...extra };
}

describe('the breach list', () => {
  const list = (items: BreachView[], total: number, filters = {}, errors = {}) => {
    const { values, offset } = readBreachFilters(filters, ZONE);
    return presentList({ values, errors, page: { items, total }, offset, agreements: [{ id: 'a1', name: 'MQL follow-up' }], directory, zone: ZONE });
  };

  it("names each breach's department and owner, and a departed owner as a former member", () => {
    const view = list([breach(), breach({ id: 'br2', ownerId: 'p-gone', departmentId: 'dep-gone' }), breach({ id: 'br3', ownerId: null })], 3);
    expect(view.breaches.map((one) => [one.id, one.department, one.owner, one.agreementName])).toEqual([
      ['br1', 'Marketing', 'Maëlle', 'MQL follow-up'],
      ['br2', '', 'a former member', 'MQL follow-up'],
      ['br3', 'Marketing', '', 'MQL follow-up'],
    ]);
    expect(view).toMatchObject({ total: 3, shown: 3, nextPage: null, errors: null, zone: ZONE });
  });

  it('offers every agreement and department to filter by, and what the reader asked for', () => {
    const view = list([], 0, { departmentId: SALES, explained: 'all' });
    expect(view.agreementOptions).toEqual([
      { value: '', label: 'All agreements' },
      { value: 'a1', label: 'MQL follow-up' },
    ]);
    expect(view.departmentOptions).toEqual([
      { value: '', label: 'All departments' },
      { value: MARKETING, label: 'Marketing' },
      { value: SALES, label: 'Sales' },
    ]);
    expect(view.explainedOptions.map((option) => option.label)).toEqual(['Waiting for an explanation', 'Explained', 'All']);
    expect(view.values).toMatchObject({ departmentId: SALES, explained: 'all' });
    expect(view.breaches).toEqual([]);
  });

  it('links the next page with the same filters while there are more', () => {
    const items = Array.from({ length: 50 }, (_, index) => breach({ id: `br${index}` }));
    const view = list(items, 120, { agreementId: 'a1', offset: '50' });
    expect(view.shown).toBe(50);
    expect(view.nextPage).toBe('/breaches?agreementId=a1&departmentId=&explained=unexplained&from=&to=&offset=100');
    expect(list(items, 100, { offset: '50' }).nextPage).toBeNull();
  });

  it('shows refused filters as errors', () => {
    expect(list([], 0, {}, { from: ['from must be a date such as 2026-11-02'] }).errors).toEqual({ from: ['from must be a date such as 2026-11-02'] });
  });
});

describe('one breach', () => {
  const explained = detail({
    explained: true,
    cause: 'Queue not watched',
    correctiveAction: 'A rota',
    explainedBy: 'p-maelle',
    reviewStatus: 'disputed',
    review: { verdict: 'disputed', comment: 'Not enough', reviewedBy: 'p-samir', reviewedAt: '2026-11-11T09:00:00.000Z' },
    history: [
      { revision: 1, cause: 'Busy', correctiveAction: 'None', explainedBy: 'p-gone', explainedAt: '2026-11-10T09:00:00.000Z', reviews: [] },
      {
        revision: 2,
        cause: 'Queue not watched',
        correctiveAction: 'A rota',
        explainedBy: 'p-maelle',
        explainedAt: '2026-11-10T12:00:00.000Z',
        reviews: [{ verdict: 'disputed', comment: 'Not enough', reviewedBy: 'p-samir', reviewedAt: '2026-11-11T09:00:00.000Z' }],
      },
    ],
  });

  it('is titled after its agreement', () => {
    expect(detailTitle(breach())).toBe('Breach of “MQL follow-up”');
  });

  it('names both departments and everyone who explained or reviewed, newest revision first', () => {
    const view = presentDetail({ actor: actor('p-samir', 'head', SALES), breach: explained, directory, refused: null, zone: ZONE });
    expect(view).toMatchObject({ department: 'Marketing', consumerDepartment: 'Sales', owner: 'Maëlle', explainedBy: 'Maëlle', reviewLabel: 'Disputed', edited: true });
    expect(view.review).toMatchObject({ verdict: 'disputed', by: 'Samir' });
    expect(view.history.map((revision) => [revision.revision, revision.by, revision.reviews.map((review) => review.by)])).toEqual([
      [2, 'Maëlle', ['Samir']],
      [1, 'a former member', []],
    ]);
  });

  it('a joint (conversion) breach: owned by both departments, explained by either, reviewed by the head who did not write it', () => {
    const joint = detail({
      kind: 'conversion',
      joint: true,
      subject: null,
      clockId: null,
      ownerId: null,
      conversionPeriodId: 'cp1',
      conversion: { label: '2026-11', cohort: 20, converted: 8, percent: 40, minimumPercent: 50 },
      explained: true,
      explainedBy: 'p-maelle',
      reviewStatus: 'pending',
    });
    const salesMember = presentDetail({ actor: actor('p-sofia', 'member', SALES), breach: joint, directory, refused: null, zone: ZONE });
    expect(salesMember).toMatchObject({ department: 'Marketing and Sales', reviewer: 'the other head', mayExplain: true, mayReview: false });
    const marketingHead = presentDetail({ actor: actor('p-maelle', 'head', MARKETING), breach: joint, directory, refused: null, zone: ZONE });
    expect(marketingHead).toMatchObject({ mayExplain: true, mayReview: false });
    const salesHead = presentDetail({ actor: actor('p-samir', 'head', SALES), breach: joint, directory, refused: null, zone: ZONE });
    expect(salesHead).toMatchObject({ mayExplain: true, mayReview: true, reviewingAs: 'Sales' });
    const outsider = presentDetail({ actor: actor('p-pia', 'head', 'dep-product'), breach: joint, directory, refused: null, zone: ZONE });
    expect(outsider).toMatchObject({ mayExplain: false, mayReview: false });
    const { values, offset } = readBreachFilters({}, ZONE);
    const listed = presentList({ values, errors: {}, page: { items: [joint], total: 1 }, offset, agreements: [], directory, zone: ZONE });
    expect(listed.breaches[0].department).toBe('Marketing and Sales');
  });

  it('lets its owner explain and the consumer head review, and neither once withdrawn', () => {
    const owner = presentDetail({ actor: actor('p-maelle', 'member', MARKETING), breach: explained, directory, refused: null, zone: ZONE });
    expect(owner).toMatchObject({ mayExplain: true, mayReview: false, isAdmin: false });
    expect(owner.values).toEqual({ cause: 'Queue not watched', correctiveAction: 'A rota' });
    const head = presentDetail({ actor: actor('p-samir', 'head', SALES), breach: explained, directory, refused: null, zone: ZONE });
    expect(head).toMatchObject({ mayExplain: false, mayReview: true });
    expect(presentDetail({ actor: actor('p-samir', 'head', SALES), breach: detail(), directory, refused: null, zone: ZONE }).mayReview).toBe(false);
    const withdrawn = { ...explained, withdrawnAt: '2026-11-12T09:00:00.000Z' };
    expect(presentDetail({ actor: actor('p-maelle', 'member', MARKETING), breach: withdrawn, directory, refused: null, zone: ZONE }).mayExplain).toBe(false);
    expect(presentDetail({ actor: actor('p-samir', 'head', SALES), breach: withdrawn, directory, refused: null, zone: ZONE }).mayReview).toBe(false);
    expect(presentDetail({ actor: actor('p-admin', 'admin', null), breach: detail(), directory, refused: null, zone: ZONE }).isAdmin).toBe(true);
  });

  it('shows an unexplained breach with empty forms, and nobody named yet', () => {
    const view = presentDetail({ actor: actor('p-maelle', 'member', MARKETING), breach: detail({ ownerId: null }), directory, refused: null, zone: ZONE });
    expect(view).toMatchObject({ owner: null, explainedBy: null, reviewLabel: null, review: null, history: [], edited: false, errors: null, reviewErrors: null });
    expect(view.values).toEqual({ cause: '', correctiveAction: '' });
    expect(view.reviewValues).toEqual({ comment: '' });
  });

  it('puts a refused post back in its own form, with its errors', () => {
    const typed = { verdict: 'disputed', comment: '' };
    const view = presentDetail({ actor: actor('p-samir', 'head', SALES), breach: explained, directory, refused: { form: 'review', values: typed, errors: { comment: ['say why'] } }, zone: ZONE });
    expect(view.reviewValues).toBe(typed);
    expect(view.reviewErrors).toEqual({ comment: ['say why'] });
    expect(view.values).toEqual({ cause: 'Queue not watched', correctiveAction: 'A rota' });
    expect(view.errors).toBeNull();
  });
});
