import type { ParsedMail } from 'mailparser';
import type { Page } from 'playwright-core';
import { monthlyMeeting } from '../support/meeting-fixture.js';
import { seedOrg, type SeededOrg } from '../support/org-fixture.js';
import { BrowserHarness, expectPageOk, HOSTILE, screenshot } from './support/browser.js';

/** After a form post: the page it lands on, with its confirmation. */
async function submitted(page: Page, click: () => Promise<void>): Promise<string> {
  await Promise.all([page.waitForURL((url) => url.searchParams.has('notice')), click()]);
  return (await page.getByRole('status').textContent()) ?? '';
}

describe('a meeting is run from agenda to approved minutes', () => {
  let h: BrowserHarness;
  let org: SeededOrg;
  let meetingId: string;

  beforeAll(async () => {
    h = await BrowserHarness.start();
    org = await seedOrg(h.t);
    h.t.clock.set('2026-12-01T09:00:00Z');
    const series = await h.t
      .as(org.marketingHead.token)
      .post('/api/meeting-series')
      .send(monthlyMeeting(org, { agendaTemplate: ['Campaign calendar'], location: 'Room Jupiter' }));
    expect(series.status).toBe(201);
    meetingId = series.body.meetings[0].id;
  });
  afterAll(async () => h?.close());

  it('the chair runs the meeting, both heads sign off, and the minutes are emailed', async () => {
    const chair = await h.signIn(org.marketingHead.token);
    await chair.goto('/meetings');
    await expectPageOk(chair);
    await chair.getByRole('link', { name: /Tue 5 Jan 2027, 10:00/ }).click();
    await chair.waitForURL((url) => url.pathname === `/meetings/${meetingId}`);
    await expectPageOk(chair);

    // The agenda, built from the data: here the series' standing item.
    expect(await submitted(chair, () => chair.getByRole('button', { name: 'Build the agenda from the data' }).click())).toBe('Agenda built from the data.');
    expect(await chair.getByRole('heading', { level: 3 }).first().textContent()).toContain('1. Campaign calendar');

    // Attendance: both heads ticked, the optional participant excused.
    await chair.getByRole('checkbox', { name: 'Maëlle Head present' }).check();
    await chair.getByRole('checkbox', { name: 'Samir Head present' }).check();
    await chair.getByLabel('Sofia Member, if not present').selectOption('excused');
    expect(await submitted(chair, () => chair.getByRole('button', { name: 'Save attendance' }).click())).toBe('Attendance recorded.');
    expect(await chair.getByRole('checkbox', { name: 'Samir Head present' }).isChecked()).toBe(true);
    expect(await chair.locator('dl.facts').textContent()).toContain('quorum met');

    // Notes on the item, hostile text included.
    await chair.getByLabel('Notes on item 1').fill(`Budget agreed. ${HOSTILE}`);
    expect(await submitted(chair, () => chair.getByRole('button', { name: 'Save notes on item 1' }).click())).toBe('Notes saved.');
    expect(await chair.getByLabel('Notes on item 1').inputValue()).toBe(`Budget agreed. ${HOSTILE}`);

    // A decision with its rationale and owner.
    await chair.getByText('Record an outcome on item 1').click();
    await chair.getByLabel('Kind (item 1)').selectOption('decision');
    await chair.getByLabel('Outcome (item 1)').fill('Spring campaign starts in March.');
    await chair.getByLabel('Rationale (item 1)').fill('Sales has capacity from March.');
    await chair.getByLabel('Owner (item 1)').selectOption({ label: 'Maëlle Head' });
    expect(await submitted(chair, () => chair.getByRole('button', { name: 'Record outcome on item 1' }).click())).toBe('Outcome recorded.');

    // An action item: without an owner it is refused next to the field, keeping what was typed.
    await chair.getByText('Record an outcome on item 1').click();
    await chair.getByLabel('Kind (item 1)').selectOption('action');
    await chair.getByLabel('Outcome (item 1)').fill(`Publish the lead rota ${HOSTILE}`);
    await chair.getByLabel('Due date (item 1)').fill('2027-01-20');
    await chair.getByRole('button', { name: 'Record outcome on item 1' }).click();
    await chair.waitForLoadState();
    const ownerField = chair.getByLabel('Owner (item 1)');
    expect(await ownerField.getAttribute('aria-invalid')).toBe('true');
    const ownerError = (await ownerField.getAttribute('aria-describedby'))?.split(' ').find((id) => id.endsWith('-error'));
    expect(await chair.locator(`#${ownerError}`).textContent()).toBe('an action item needs an owner');
    expect(await chair.getByLabel('Outcome (item 1)').inputValue()).toBe(`Publish the lead rota ${HOSTILE}`);
    expect(await chair.getByLabel('Due date (item 1)').inputValue()).toBe('2027-01-20');
    await expectPageOk(chair);
    await ownerField.selectOption({ label: 'Samir Head' });
    expect(await submitted(chair, () => chair.getByRole('button', { name: 'Record outcome on item 1' }).click())).toBe('Outcome recorded.');

    // The hostile text shows as text in the room.
    const item = chair.locator('section.agenda-item').first();
    expect(await item.locator('.outcomes').textContent()).toContain(`Publish the lead rota ${HOSTILE}`);
    expect(await item.locator('.outcomes').textContent()).toContain('Samir Head · due 2027-01-20');
    await expectPageOk(chair);

    // Readable on a phone.
    const phone = await h.signIn(org.marketingHead.token, 375);
    await phone.goto(`/meetings/${meetingId}`);
    await expectPageOk(phone);
    await screenshot(phone, 'meeting-room-phone');
    await screenshot(chair, 'meeting-room');

    // Finalize, then read the minutes: the hostile text is text there too.
    expect(await submitted(chair, () => chair.getByRole('button', { name: 'Finalize the minutes' }).click())).toBe('Minutes finalized: the heads can sign them off.');
    expect(await chair.getByRole('button', { name: 'Finalize the minutes' }).count()).toBe(0);
    expect(await chair.getByLabel('Notes on item 1').count()).toBe(0);
    await chair.getByRole('link', { name: 'Read the minutes' }).click();
    await chair.waitForURL((url) => url.pathname === `/meetings/${meetingId}/minutes`);
    const minutes = (await chair.getByRole('article', { name: 'Minutes' }).textContent()) ?? '';
    expect(minutes).toContain('revision 1 · final');
    expect(minutes).toContain(`Budget agreed. ${HOSTILE}`);
    expect(minutes).toContain(`Publish the lead rota ${HOSTILE}`);
    expect(minutes).toContain('Spring campaign starts in March.');
    await expectPageOk(chair);

    // Only the heads sign off: the sales head from the minutes, the chair from the room.
    const member = await h.signIn(org.salesMember.token);
    await member.goto(`/meetings/${meetingId}`);
    expect(await member.getByRole('button', { name: 'Sign off the minutes' }).count()).toBe(0);
    await expectPageOk(member);

    const salesHead = await h.signIn(org.salesHead.token);
    await salesHead.goto(`/meetings/${meetingId}/minutes`);
    await expectPageOk(salesHead);
    expect(await submitted(salesHead, () => salesHead.getByRole('button', { name: 'Sign off the minutes' }).click())).toBe('Signed off for your department.');
    expect(await salesHead.getByRole('button', { name: 'Sign off the minutes' }).count()).toBe(0);

    await chair.goto(`/meetings/${meetingId}`);
    expect(await submitted(chair, () => chair.getByRole('button', { name: 'Sign off the minutes' }).click())).toBe(
      'Signed off. The minutes are approved and on their way to everyone.',
    );
    expect(await chair.locator('#minutes').locator('xpath=..').textContent()).toMatch(/Approved \(revision 1\), signed off for (Marketing, Sales|Sales, Marketing)/);
    await expectPageOk(chair);
    await chair.getByRole('link', { name: 'Read the minutes' }).click();
    await chair.waitForURL((url) => url.pathname === `/meetings/${meetingId}/minutes`);
    expect(await chair.getByRole('article', { name: 'Minutes' }).textContent()).toContain('revision 1 · approved');
    await screenshot(chair, 'meeting-minutes');

    // The email: to every participant, the hostile text escaped in its HTML.
    await h.dispatchOutbox();
    const mails = h.smtp.messages.filter((mail: ParsedMail) => mail.subject?.startsWith('Minutes: Marketing & Sales monthly'));
    const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? '' : (mail.to?.value[0].address ?? ''));
    expect(mails.map(to).sort()).toEqual([org.marketingHead.email, org.marketingMember.email, org.salesHead.email, org.salesMember.email].sort());
    const samir = mails.find((mail) => to(mail) === org.salesHead.email) as ParsedMail;
    expect(samir.subject).toMatch(/1 action\(s\) for you$/);
    const html = String(samir.html);
    expect(html).toContain('Publish the lead rota &lt;script&gt;');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img src=x');
    expect(samir.text).toContain(`Publish the lead rota ${HOSTILE}`);
  });
});
