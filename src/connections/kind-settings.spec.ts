import { checkKindSettings, type SettingErrors } from './kind-settings.js';
import type { ConnectionKind } from './adapters/crm-adapter.js';

function errorsOf(kind: ConnectionKind, settings: Record<string, unknown>): SettingErrors {
  const errors: SettingErrors = {};
  checkKindSettings(kind, settings, errors);
  return errors;
}

describe('each kind\'s settings', () => {
  it('requires a Bitrix24 restUrl, an absolute http(s) URL without credentials, query or fragment', () => {
    expect(errorsOf('bitrix24', { restUrl: 'https://acme.bitrix24.com/rest/1/abc123def456/' })).toEqual({});
    expect(errorsOf('bitrix24', { restUrl: 'http://127.0.0.1:8080/rest/1/x/' })).toEqual({});
    expect(Object.keys(errorsOf('bitrix24', {}))).toEqual(['settings.restUrl']);
    expect(errorsOf('bitrix24', {})['settings.restUrl'][0]).toMatch(/required/);
    for (const bad of ['acme.bitrix24.com/rest/1/x/', '/rest/1/x/', 'ftp://acme.bitrix24.com/rest/', 'javascript:alert(1)', 'https://u:p@acme.bitrix24.com/rest/', 'https://acme.bitrix24.com/rest/?a=1', 'https://acme.bitrix24.com/rest/#x']) {
      expect(Object.keys(errorsOf('bitrix24', { restUrl: bad }))).toEqual(['settings.restUrl']);
    }
  });

  it('takes a Salesforce organizationId of 15 or 18 letters and digits, or none', () => {
    expect(errorsOf('salesforce', {})).toEqual({});
    expect(errorsOf('salesforce', { organizationId: '00D5e000000KQ2e' })).toEqual({});
    expect(errorsOf('salesforce', { organizationId: '00D5e000000KQ2eEAG' })).toEqual({});
    for (const bad of ['00D5e000000KQ2', '00D5e000000KQ2eEA', '00D5e000000KQ2e-', '']) {
      expect(Object.keys(errorsOf('salesforce', { organizationId: bad }))).toEqual(['settings.organizationId']);
    }
  });

  it('takes a Pipedrive Basic user without a colon, or none', () => {
    expect(errorsOf('pipedrive', {})).toEqual({});
    expect(errorsOf('pipedrive', { user: 'concord' })).toEqual({});
    expect(Object.keys(errorsOf('pipedrive', { user: 'a:b' }))).toEqual(['settings.user']);
    expect(Object.keys(errorsOf('pipedrive', { user: '' }))).toEqual(['settings.user']);
  });

  it('names a setting the kind does not know, so a typo is a 400', () => {
    expect(errorsOf('bitrix24', { restUrl: 'https://acme.bitrix24.com/rest/1/x/', resturl: 'x' })).toEqual({
      'settings.resturl': ['settings.resturl is not a setting of bitrix24: bitrix24 knows settings.restUrl'],
    });
    expect(errorsOf('hubspot', { organizationId: '00D5e000000KQ2e' })['settings.organizationId'][0]).toMatch(/hubspot takes no settings/);
    expect(Object.keys(errorsOf('amocrm', { __proto__: 'x', toString: 'y' } as Record<string, unknown>))).toEqual(['settings.toString']);
  });
});
