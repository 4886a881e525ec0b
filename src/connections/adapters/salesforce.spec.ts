import { salesforceAdapter } from './salesforce.js';
import { readXml } from './soap-xml.js';
import { SALESFORCE_ORG_ID, asDelivery, salesforceLead, salesforceOutboundMessage } from '../../../test/support/crm-payloads.js';

const secrets = { secret: 'sf-url-secret-0123456789', settings: { organizationId: SALESFORCE_ORG_ID } };
const xml = (body: string) => asDelivery({ body, contentType: 'text/xml', headers: {} }, { pathSecret: secrets.secret });

describe('salesforce adapter', () => {
  describe('verify (URL secret and OrganizationId)', () => {
    const message = salesforceOutboundMessage([salesforceLead()]);

    it('accepts the right secret and organization, in its 18- or 15-character form', () => {
      expect(salesforceAdapter.verify(asDelivery(message, { pathSecret: secrets.secret }), secrets)).toEqual({ ok: true });
      const fifteen = { ...secrets, settings: { organizationId: SALESFORCE_ORG_ID.slice(0, 15) } };
      expect(salesforceAdapter.verify(asDelivery(message, { pathSecret: secrets.secret }), fifteen)).toEqual({ ok: true });
      expect(salesforceAdapter.verify(asDelivery(message, { pathSecret: secrets.secret }), { ...secrets, settings: {} })).toEqual({ ok: true });
    });

    it('refuses a wrong URL secret, a wrong or missing OrganizationId', () => {
      expect(salesforceAdapter.verify(asDelivery(message, { pathSecret: 'nope' }), secrets).ok).toBe(false);
      expect(salesforceAdapter.verify(asDelivery(message), secrets).ok).toBe(false);
      const other = salesforceOutboundMessage([salesforceLead()], { organizationId: '00D000000000001AAA' });
      expect(salesforceAdapter.verify(asDelivery(other, { pathSecret: secrets.secret }), secrets)).toEqual({ ok: false, reason: "OrganizationId is not the connection's organization" });
      const none = xml(message.body.replace(/<OrganizationId>.*<\/OrganizationId>/, ''));
      expect(salesforceAdapter.verify(none, secrets)).toEqual({ ok: false, reason: 'OrganizationId is missing' });
    });
  });

  describe('parse', () => {
    it('reads each Notification as a change keyed by its Id, all fields but Id as changed', () => {
      const message = salesforceOutboundMessage([
        salesforceLead(),
        {
          notificationId: '04l5e00000Gx7R0AAJ',
          type: 'Opportunity',
          fields: { Id: '0065e00000XyZ1AAA', StageName: 'Closed Won', Amount: '12000.0', CloseDate: null, SystemModstamp: '2026-03-02T10:01:00.000Z' },
        },
      ]);
      const parsed = salesforceAdapter.parse(asDelivery(message), secrets);
      expect(parsed).toEqual({
        ok: true,
        changes: [
          {
            key: '04l5e00000Gx7QzAAJ',
            object: 'lead',
            objectId: '00Q5e00000AbCdEEAV',
            occurredAt: new Date('2026-03-02T10:00:00.000Z'),
            changed: { Status: 'Working - Contacted', OwnerId: '0055e000001XyZaAAK', Rating: 'Hot', LeadSource: 'Web' },
            known: { LastModifiedDate: '2026-03-02T10:00:00.000Z', SystemModstamp: '2026-03-02T10:00:00.000Z' },
          },
          {
            key: '04l5e00000Gx7R0AAJ',
            object: 'opportunity',
            objectId: '0065e00000XyZ1AAA',
            occurredAt: new Date('2026-03-02T10:01:00.000Z'),
            changed: { StageName: 'Closed Won', Amount: '12000.0', CloseDate: null },
            known: { SystemModstamp: '2026-03-02T10:01:00.000Z' },
          },
        ],
      });
    });

    it('decodes entities in values', () => {
      const parsed = salesforceAdapter.parse(asDelivery(salesforceOutboundMessage([salesforceLead({ Company: 'Smith & Sons <EU>' })])), secrets);
      expect(parsed.ok && parsed.changes[0].changed.Company).toBe('Smith & Sons <EU>');
    });

    it('answers a parsed message with the SOAP Ack Salesforce waits for', () => {
      const parsed = salesforceAdapter.parse(asDelivery(salesforceOutboundMessage([salesforceLead()])), secrets);
      const ack = salesforceAdapter.acknowledge!(parsed);
      expect(ack.status).toBe(200);
      expect(ack.contentType).toBe('text/xml');
      const root = readXml(ack.body);
      expect(root.ok).toBe(true);
      expect(ack.body).toContain('<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>');
      expect(salesforceAdapter.acknowledge!({ ok: false, reason: 'a <bad> one' })).toMatchObject({ status: 400, body: expect.stringContaining('a &lt;bad&gt; one') });
    });

    const lead = salesforceOutboundMessage([salesforceLead()]).body;
    it.each([
      ['broken XML', lead.slice(0, -30), /well-formed/],
      ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY a "b">]>${lead.replace(/^<\?xml[^>]*>/, '')}`, /DOCTYPE/],
      ['not an envelope', '<notifications/>', /Envelope/],
      ['no notifications', '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>', /notifications/],
      ['no Notification', lead.replace(/<Notification>[\s\S]*<\/Notification>/, ''), /no Notification/],
      ['no sObject type', lead.replace(' xsi:type="sf:Lead"', ''), /xsi:type/],
      ['no sf:Id', lead.replace(/<sf:Id>.*<\/sf:Id>/, ''), /sf:Id/],
      ['no time', lead.replace(/<sf:LastModifiedDate>.*<\/sf:LastModifiedDate>/, '').replace(/<sf:SystemModstamp>.*<\/sf:SystemModstamp>/, ''), /LastModifiedDate/],
      ['mixed content', lead.replace('<sf:Rating>Hot</sf:Rating>', '<sf:Rating>Hot<b/>x</sf:Rating>'), /mixes/],
      ['an unknown entity', lead.replace('Hot', '&bogus;'), /entity/],
      ['huge nesting', `<soapenv:Envelope>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</soapenv:Envelope>`, /deeper/],
      ['a NUL', lead.replace('Hot', 'H\u0000t'), /NUL/],
    ])('refuses %s with a reason', (_name, body, reason) => {
      const parsed = salesforceAdapter.parse(xml(body), secrets);
      expect(!parsed.ok && parsed.reason).toMatch(reason);
    });

    it('refuses more than 100 notifications and accepts exactly 100', () => {
      const records = (n: number) => Array.from({ length: n }, (_, i) => salesforceLead({ Id: `00Q5e00000AbC${String(i).padStart(3, '0')}AAA` }, `04l5e00000Gx${String(i).padStart(3, '0')}AAA`));
      const hundred = salesforceAdapter.parse(asDelivery(salesforceOutboundMessage(records(100))), secrets);
      expect(hundred.ok && hundred.changes.length).toBe(100);
      const parsed = salesforceAdapter.parse(asDelivery(salesforceOutboundMessage(records(101))), secrets);
      expect(!parsed.ok && parsed.reason).toMatch(/101 Notification elements; Salesforce sends at most 100/);
    });

    it('refuses a message of another organization even if verify was skipped', () => {
      const other = salesforceOutboundMessage([salesforceLead()], { organizationId: '00D000000000001AAA' });
      expect(salesforceAdapter.parse(asDelivery(other), secrets).ok).toBe(false);
    });

    it('refuses invalid UTF-8 without throwing, in verify and parse', () => {
      const delivery = asDelivery(salesforceOutboundMessage([salesforceLead()]), { rawBody: Buffer.from([0x3c, 0xff, 0x3e]), pathSecret: secrets.secret });
      expect(salesforceAdapter.parse(delivery, secrets)).toEqual({ ok: false, reason: 'body is not valid UTF-8' });
      expect(salesforceAdapter.verify(delivery, secrets)).toEqual({ ok: true });
    });
  });
});
