import type { ConnectionKind } from './adapters/crm-adapter.js';
import { isPublicAddress, literalAddress } from './public-address.js';

/**
 * What each kind of connection keeps in `settings`, checked by name so a typo (`resturl`) is a 400
 * rather than a connection that silently cannot work. Pure: no Nest, no TypeORM.
 *  - bitrix24 `restUrl` (required): the portal's inbound REST webhook, an absolute https URL
 *    without user, password or fragment (Concord appends `crm.lead.get.json?id=…` to it), whose
 *    host, when an IP address, is a public one (a host name is checked when it is called, see
 *    crm-fetch.ts); with CRM_ALLOW_PRIVATE_HOSTS, http and any address;
 *  - salesforce `organizationId` (optional): the org's id, 15 characters (Setup → Company
 *    Information) or 18 (as messages carry it); when set, messages from other orgs are refused;
 *  - pipedrive `user` (optional): the HTTP Basic user Pipedrive must send (any user when unset).
 * The general shape (names, texts, at most 2000 characters) is checked before, in the service.
 */

export type SettingErrors = Record<string, string[]>;

/** What the deployment allows (AppConfig). */
export interface SettingsPolicy {
  /** CRM_ALLOW_PRIVATE_HOSTS: http and private, loopback, link-local addresses allowed. */
  allowPrivateHosts: boolean;
}

interface SettingRule {
  required?: boolean;
  check(value: string, policy: SettingsPolicy): string | undefined;
}

const KIND_SETTINGS: Readonly<Record<ConnectionKind, Readonly<Record<string, SettingRule>>>> = {
  hubspot: {},
  webhook: {},
  amocrm: {},
  pipedrive: {
    user: {
      check: (value) =>
        value.length === 0 || value.length > 200 || value.includes(':') || /[\u0000-\u001f\u007f]/.test(value)
          ? 'must be 1 to 200 characters without ":" or control characters (the HTTP Basic user Pipedrive sends)'
          : undefined,
    },
  },
  bitrix24: {
    restUrl: {
      required: true,
      check(value, policy) {
        let url: URL;
        try {
          url = new URL(value);
        } catch {
          return 'must be an absolute URL, the portal\'s inbound webhook, e.g. https://acme.bitrix24.com/rest/1/abc123def456/';
        }
        if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http or https URL';
        if (url.username || url.password) return 'must not hold a user or password';
        if (url.hash) return 'must not have a #fragment';
        if (url.search) return 'must not have a ?query: Concord adds the method and the id to it';
        if (!policy.allowPrivateHosts) {
          if (url.protocol !== 'https:') return 'must be an https URL (http is allowed only with CRM_ALLOW_PRIVATE_HOSTS=true)';
          const address = literalAddress(url.hostname);
          if (address !== undefined && !isPublicAddress(address)) {
            return `must not point to ${address}, a private, loopback, link-local or reserved address (allowed only with CRM_ALLOW_PRIVATE_HOSTS=true)`;
          }
        }
        return undefined;
      },
    },
  },
  salesforce: {
    organizationId: {
      check: (value) =>
        /^[A-Za-z0-9]{15}$|^[A-Za-z0-9]{18}$/.test(value)
          ? undefined
          : 'must be the Salesforce Organization ID, 15 or 18 letters and digits (Setup → Company Information)',
    },
  },
};

/** Adds `settings.<name>` errors for what this kind does not know, lacks or cannot use. */
export function checkKindSettings(kind: ConnectionKind, settings: Readonly<Record<string, unknown>>, errors: SettingErrors, policy: SettingsPolicy): void {
  const rules = KIND_SETTINGS[kind];
  const known = Object.keys(rules);
  for (const [name, value] of Object.entries(settings)) {
    const rule = Object.hasOwn(rules, name) ? rules[name] : undefined;
    if (!rule) {
      const expected = known.length > 0 ? `${kind} knows ${known.map((n) => `settings.${n}`).join(', ')}` : `${kind} takes no settings`;
      (errors[`settings.${name}`] ??= []).push(`settings.${name} is not a setting of ${kind}: ${expected}`);
      continue;
    }
    if (typeof value !== 'string') continue; // the general check names it
    const problem = rule.check(value, policy);
    if (problem) (errors[`settings.${name}`] ??= []).push(`settings.${name} ${problem}`);
  }
  for (const [name, rule] of Object.entries(rules)) {
    if (rule.required && !Object.hasOwn(settings, name)) {
      (errors[`settings.${name}`] ??= []).push(`settings.${name} is required for ${kind}`);
    }
  }
}
