import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holdAndApprove, planSeries } from '../support/meeting-fixture.js';
import { createPerson, seedOrg, type SeededOrg, type SeededPerson } from '../support/org-fixture.js';
import { pageSession } from '../support/page-session.js';
import { TestApp } from '../support/test-app.js';

/*
 * The minutes PDF read back as a user's tools read it: `pdftotext` and `pdffonts` from Debian's
 * poppler-utils (installed by .ci/run). Names and notes in Cyrillic, Greek, Polish and Arabic
 * must come out as the very text typed, and every line must stay inside the page.
 */
const POLISH = 'Żaneta Łódź-Wąsowska';
const CYRILLIC = 'Дмитрий Шостакович';
const GREEK = 'Ελένη Παπαδοπούλου';
const ARABIC = 'عائشة';
const NOTES = 'Обсудили план: продажи растут. Συμφωνήσαμε στον προϋπολογισμό. Zażółć gęślą jaźń.';
const DECISION = 'Решение: горячие лиды — за один час';
const RATIONALE = 'Η ομάδα πωλήσεων συμφωνεί';
const ACTION = 'Przygotować raport dla Łodzi';
const UNBROKEN = 'Ж'.repeat(200) + 'ά'.repeat(200) + 'ł'.repeat(200);
const A4_WIDTH = 595.28;
const MARGIN = 56;

function poppler(tool: string, pdf: Buffer, ...args: string[]): string {
  const directory = mkdtempSync(join(tmpdir(), 'concord-pdf-'));
  try {
    const file = join(directory, 'minutes.pdf');
    writeFileSync(file, pdf);
    return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('the minutes PDF in any alphabet', () => {
  let t: TestApp;
  let org: SeededOrg;
  let people: SeededPerson[];
  let meetingId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    org = await seedOrg(t);
    people = [];
    for (const [index, name] of [POLISH, CYRILLIC, GREEK, ARABIC].entries()) {
      people.push(await createPerson(t, { name, email: `guest${index}@example.com`, role: 'member', departmentId: org.sales.id }));
    }
    t.clock.set('2026-11-20T09:00:00Z');
    const series = await planSeries(t, org, {
      startsOn: '2026-12-01T10:00',
      rrule: 'FREQ=MONTHLY;BYDAY=1TU;COUNT=2',
      title: 'Совет по продажам — Ωμέγα — Łódź',
      agendaTemplate: ['Итоги месяца'],
      participants: [
        { personId: org.marketingHead.id, role: 'required' },
        { personId: org.salesHead.id, role: 'required' },
        ...people.map((person) => ({ personId: person.id, role: 'optional' })),
      ],
    });
    meetingId = series.meetings[0].id;
    t.clock.set('2026-12-01T09:30:00Z');
    await holdAndApprove(
      t,
      org,
      meetingId,
      [
        { type: 'decision', text: DECISION, rationale: RATIONALE, ownerId: people[1].id },
        { type: 'action', text: ACTION, ownerId: people[0].id, dueOn: '2026-12-15' },
        { type: 'action', text: `Zadanie dla ${ARABIC}`, ownerId: people[3].id, dueOn: '2026-12-16' },
        { type: 'information', text: UNBROKEN },
      ],
      NOTES,
    );
  });

  afterAll(async () => t?.close());

  const pdfOf = async (path: string, get: (path: string) => ReturnType<ReturnType<TestApp['as']>['get']>) => {
    const response = await get(path)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    return response.body as Buffer;
  };

  it('embeds DejaVu Sans, so pdftotext reads back every name, note, decision and action exactly', async () => {
    const session = await pageSession(t, org.marketingHead.token);
    const pdf = await pdfOf(`/meetings/${meetingId}/minutes.pdf`, (path) => session.get(path));

    const fonts = poppler('pdffonts', pdf);
    expect(fonts).toMatch(/DejaVuSans\s.*\sCID TrueType\s.*\syes\s+yes/);
    expect(fonts).toMatch(/DejaVuSans-Bold\s.*\sCID TrueType\s.*\syes\s+yes/);
    expect(fonts).not.toMatch(/Helvetica/);

    const text = poppler('pdftotext', pdf, '-enc', 'UTF-8');
    // A line wrapped by the page is a space in the text typed.
    const flowing = text.replace(/\s+/g, ' ');
    for (const expected of [
      'MINUTES: Совет по продажам — Ωμέγα — Łódź',
      POLISH,
      CYRILLIC,
      GREEK,
      ARABIC,
      NOTES,
      `${DECISION} - ${RATIONALE} (${CYRILLIC})`,
      `${ACTION} | ${POLISH} | due 2026-12-15 | open`,
      'Итоги месяца',
    ]) {
      expect(flowing).toContain(expected);
    }
    // The unbroken 600 characters come back whole once the wrapping is undone.
    expect(text.replace(/\s+/g, '')).toContain(UNBROKEN);
    expect(text).not.toMatch(/[¤„]/);
  });

  it('wraps every line inside the page, the 600-character word too', async () => {
    const pdf = await pdfOf(`/api/meetings/${meetingId}/minutes?format=pdf`, (path) => t.as(org.marketingHead.token).get(path));
    const layout = poppler('pdftotext', pdf, '-enc', 'UTF-8', '-bbox-layout');
    const pages = [...layout.matchAll(/<page width="([\d.]+)" height="([\d.]+)">/g)];
    expect(pages.length).toBeGreaterThanOrEqual(1);
    for (const page of pages) expect(Number(page[1])).toBeCloseTo(A4_WIDTH, 1);

    const lines = [...layout.matchAll(/<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"/g)].map((line) => ({ xMin: Number(line[1]), xMax: Number(line[2]) }));
    expect(lines.length).toBeGreaterThan(30);
    for (const line of lines) {
      expect(line.xMin).toBeGreaterThanOrEqual(MARGIN - 0.5);
      expect(line.xMax).toBeLessThanOrEqual(A4_WIDTH - MARGIN + 0.5);
    }
    // The unbroken word fills several lines to the right margin rather than running off the page.
    const full = lines.filter((line) => line.xMax > A4_WIDTH - MARGIN - 15);
    expect(full.length).toBeGreaterThanOrEqual(5);
  });
});
