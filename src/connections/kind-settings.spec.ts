import { checkKindSettings, type SettingErrors } from './kind-settings.js';
import type { ConnectionKind } from './adapters/crm-adapter.js';

function errorsOf(kind: ConnectionKind, settings: Record<string, unknown>, allowPrivateHosts = false): SettingErrors {
  const errors: SettingErrors = {};
  checkKindSettings(kind, settings, errors, { allowPrivateHosts });
  return errors;
}

describe('each kind\'s settings', () => {
  it('requires a Bitrix24 restUrl, an absolute https URL without credentials, query or fragment', () => {
    expect(errorsOf('bitrix24', { restUrl: 'https://acme.bitrix24.com/rest/1/abc123def456/' })).toEqual({});
    expect(errorsOf('bitrix24', { restUrl: 'https://93.184.216.34/rest/1/x/' })).toEqual({});
    expect(errorsOf('bitrix24', { restUrl: 'http://127.0.0.1:8080/rest/1/x/' }, true)).toEqual({});
    expect(Object.keys(errorsOf('bitrix24', {}))).toEqual(['settings.restUrl']);
    expect(errorsOf('bitrix24', {})['settings.restUrl'][0]).toMatch(/required/);
    for (const bad of ['acme.bitrix24.com/rest/1/x/', '/rest/1/x/', 'ftp://acme.bitrix24.com/rest/', 'javascript:alert(1)', 'https://u:p@acme.bitrix24.com/rest/', 'https://acme.bitrix24.com/rest/?a=1', 'https://acme.bitrix24.com/rest/#x']) {
      expect(Object.keys(errorsOf('bitrix24', { restUrl: bad }))).toEqual(['settings.restUrl']);
    }
  });

  it('refuses a Bitrix24 restUrl over http or on a private address, unless CRM_ALLOW_PRIVATE_HOSTS', () => {
    expect(errorsOf('bitrix24', { restUrl: 'http://acme.bitrix24.com/rest/1/x/' })['settings.restUrl']).toEqual([expect.stringMatching(/^settings\.restUrl must be an https URL .*CRM_ALLOW_PRIVATE_HOSTS/)]);
    for (const host of ['127.0.0.1', '10.0.0.5', '169.254.169.254', '172.20.1.1', '192.168.0.10', '100.64.1.1', '0.0.0.0', '[::1]', '[fd00::1]', '[fe80::1]', '[::ffff:127.0.0.1]', '[::ffff:a9fe:a9fe]']) {
      const errors = errorsOf('bitrix24', { restUrl: `https://${host}/rest/1/x/` });
      expect([host, errors['settings.restUrl']]).toEqual([host, [expect.stringMatching(/^settings\.restUrl must not point to .*private.*CRM_ALLOW_PRIVATE_HOSTS/)]]);
      expect(errorsOf('bitrix24', { restUrl: `https://${host}/rest/1/x/` }, true)).toEqual({});
    }
    // A host name is judged by what it resolves to when it is called, not here.
    expect(errorsOf('bitrix24', { restUrl: 'https://localhost/rest/1/x/' })).toEqual({});
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
