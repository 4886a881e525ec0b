import { CONNECTION_KINDS } from './crm-adapter.js';
import { adapterFor, CRM_ADAPTERS } from './index.js';

describe('the CRM adapters registry', () => {
  it.each(CONNECTION_KINDS)('has an adapter for %s, of that kind', (kind) => {
    expect(adapterFor(kind)?.kind).toBe(kind);
  });

  it('knows no kind outside CONNECTION_KINDS, and nothing inherited', () => {
    expect(Object.keys(CRM_ADAPTERS).sort()).toEqual([...CONNECTION_KINDS].sort());
    expect(adapterFor('toString' as never)).toBeUndefined();
  });
});
