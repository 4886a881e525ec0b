import type { Acknowledgement, ConnectionSecrets, CrmAdapter, CrmChange, IncomingDelivery, Parsed, Verification } from './crm-adapter.js';
import { bodyText, emptyRecord, secretsEqual, timeFrom } from './adapter-values.js';
import { type XmlNode, childNamed, childrenNamed, escapeXml, localName, readXml } from './soap-xml.js';

/**
 * Salesforce Outbound Messages (Setup → Outbound Messages, sent by a Flow or workflow rule),
 * checked against Salesforce's "Understanding the Outbound Messaging WSDL" (developer.salesforce.com,
 * sforce_api_om_outboundmessaging_wsdl): a SOAP 1.1 envelope
 *   <soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">
 *     <OrganizationId>00D…</OrganizationId><ActionId>04k…</ActionId><SessionId xsi:nil="true"/>
 *     <EnterpriseUrl>…</EnterpriseUrl><PartnerUrl>…</PartnerUrl>
 *     <Notification><Id>04l…</Id>
 *       <sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
 *         <sf:Id>00Q…</sf:Id><sf:Status>Working - Contacted</sf:Status><sf:LastModifiedDate>…</sf:LastModifiedDate>
 *       </sObject></Notification> … (maxOccurs="100")
 *   </notifications></soapenv:Body>
 * The sender retries for up to 24 hours until it reads `notificationsResponse` with `<Ack>true</Ack>`;
 * a message may repeat (the Notification Id stays the same: it is the event key) and carries the
 * record's values at sending time, with no previous values: the core diffs with the last known.
 *
 * No signature exists: the secret is the last segment of the URL, and the OrganizationId in the
 * body must be the connection's (settings.organizationId), when one is set. Setup → Company
 * Information shows the 15-character form of the id and messages carry the 18-character one (the
 * 15 plus a case-checksum suffix), so the first 15 characters are compared.
 */

export const SALESFORCE_MAX_NOTIFICATIONS = 100;

/** Time fields that say when the record changed: kept as known values, read as occurredAt. */
const TIME_FIELDS = ['LastModifiedDate', 'SystemModstamp'];

type Envelope = { ok: true; notifications: XmlNode; organizationId?: string } | { ok: false; reason: string };

function readEnvelope(rawBody: Buffer): Envelope {
  const body = bodyText(rawBody);
  if (!body.ok) return body;
  const xml = readXml(body.text);
  if (!xml.ok) return xml;
  if (localName(xml.root.name) !== 'Envelope') return { ok: false, reason: 'the root element is not a SOAP Envelope' };
  const soapBody = childNamed(xml.root, 'Body');
  if (!soapBody) return { ok: false, reason: 'the SOAP Envelope has no Body' };
  const notifications = childNamed(soapBody, 'notifications');
  if (!notifications) return { ok: false, reason: 'the SOAP Body has no notifications element (not a Salesforce Outbound Message)' };
  const organizationId = childNamed(notifications, 'OrganizationId')?.text.trim();
  return { ok: true, notifications, organizationId: organizationId || undefined };
}

function sameOrganization(given: string, expected: string): boolean {
  const a = given.length >= 15 && expected.length >= 15 ? given.slice(0, 15) : given;
  const b = given.length >= 15 && expected.length >= 15 ? expected.slice(0, 15) : expected;
  return secretsEqual(a, b);
}

const ACK =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
  '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>' +
  '</soapenv:Body></soapenv:Envelope>';

export const salesforceAdapter: CrmAdapter = {
  kind: 'salesforce',

  verify(delivery: IncomingDelivery, secrets: ConnectionSecrets): Verification {
    // Both checks run whatever the first gives, so the answer's time tells nothing of which failed.
    const secretOk = secretsEqual(delivery.pathSecret, secrets.secret);
    const expected = secrets.settings['organizationId']?.trim();
    let organizationOk = true;
    let reason = 'wrong or missing secret in the webhook URL';
    if (expected) {
      const envelope = readEnvelope(delivery.rawBody);
      // An unreadable body passes this check when the URL secret is right: parse then refuses it
      // as malformed (400, logged), which tells the integrator more than a 401 would.
      if (envelope.ok) {
        organizationOk = envelope.organizationId !== undefined && sameOrganization(envelope.organizationId, expected);
        if (secretOk && !organizationOk) reason = envelope.organizationId ? 'OrganizationId is not the connection\'s organization' : 'OrganizationId is missing';
      }
    }
    return secretOk && organizationOk ? { ok: true } : { ok: false, reason };
  },

  parse(delivery: IncomingDelivery, secrets: ConnectionSecrets): Parsed {
    const envelope = readEnvelope(delivery.rawBody);
    if (!envelope.ok) return envelope;
    if (!envelope.organizationId) return { ok: false, reason: 'notifications has no OrganizationId' };
    const expected = secrets.settings['organizationId']?.trim();
    if (expected && !sameOrganization(envelope.organizationId, expected)) return { ok: false, reason: 'OrganizationId is not the connection\'s organization' };
    const list = childrenNamed(envelope.notifications, 'Notification');
    if (list.length === 0) return { ok: false, reason: 'notifications holds no Notification' };
    if (list.length > SALESFORCE_MAX_NOTIFICATIONS) {
      return { ok: false, reason: `notifications holds ${list.length} Notification elements; Salesforce sends at most ${SALESFORCE_MAX_NOTIFICATIONS}` };
    }
    const changes: CrmChange[] = [];
    for (const [index, notification] of list.entries()) {
      const at = `Notification[${index}]`;
      const id = childNamed(notification, 'Id')?.text.trim();
      if (!id) return { ok: false, reason: `${at} has no Id` };
      const sObject = childNamed(notification, 'sObject');
      if (!sObject) return { ok: false, reason: `${at} has no sObject` };
      const type = Object.entries(sObject.attributes).find(([name]) => localName(name) === 'type')?.[1];
      if (!type || !/^[A-Za-z][\w]{0,80}$/.test(localName(type))) return { ok: false, reason: `${at}.sObject has no xsi:type such as "sf:Lead"` };
      const fields = emptyRecord<string | null>();
      for (const child of sObject.children) {
        if (child.children.length > 0) continue;
        const nil = Object.entries(child.attributes).some(([name, value]) => localName(name) === 'nil' && value === 'true');
        fields[localName(child.name)] = nil ? null : child.text;
      }
      const objectId = fields.Id?.trim();
      if (!objectId) return { ok: false, reason: `${at}.sObject has no sf:Id` };
      const stamp = TIME_FIELDS.map((name) => fields[name]).find((value) => value);
      const occurredAt = timeFrom(stamp ?? undefined);
      if (!occurredAt) {
        return { ok: false, reason: `${at}.sObject has no readable sf:LastModifiedDate or sf:SystemModstamp: add LastModifiedDate to the Outbound Message's fields` };
      }
      const changed = emptyRecord<string | null>();
      const known = emptyRecord<string | null>();
      for (const [name, value] of Object.entries(fields)) {
        if (name === 'Id') continue;
        if (TIME_FIELDS.includes(name)) known[name] = value;
        else changed[name] = value;
      }
      changes.push({ key: id, object: localName(type).toLowerCase(), objectId, occurredAt, changed, known });
    }
    return { ok: true, changes };
  },

  acknowledge(parsed: Parsed): Acknowledgement {
    if (parsed.ok) return { status: 200, contentType: 'text/xml', body: ACK };
    return {
      status: 400,
      contentType: 'text/xml',
      body:
        '<?xml version="1.0" encoding="UTF-8"?>' +
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault>' +
        `<faultcode>soapenv:Client</faultcode><faultstring>${escapeXml(parsed.reason)}</faultstring>` +
        '</soapenv:Fault></soapenv:Body></soapenv:Envelope>',
    };
  },
};
