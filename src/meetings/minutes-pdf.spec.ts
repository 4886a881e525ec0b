import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';
import { MINUTES_FONTS, MINUTES_PAGE, minutesPdf } from './minutes-pdf.js';

/*
 * The minutes PDF read back two ways: as a reader's tools read it (`pdftotext` from poppler-utils,
 * which .ci/run installs), and glyph by glyph, against fontkit's own shaping of the same words.
 */
const A4_WIDTH = 595.28;
const RIGHT = A4_WIDTH - MINUTES_PAGE.margin;
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function poppler(pdf: Buffer, ...args: string[]): string {
  const directory = mkdtempSync(join(tmpdir(), 'concord-pdf-'));
  try {
    const file = join(directory, 'minutes.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', ...args, file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The text as poppler reads it back in reading order, without the direction marks it adds, spaces collapsed. */
const readBack = (pdf: Buffer) => poppler(pdf).replace(BIDI_CONTROLS, '').replace(/\s+/g, ' ');

interface Word { text: string; xMin: number; xMax: number; yMin: number; yMax: number }
/** Every word poppler finds, with its box; its letters are in the order they are drawn, left to right. */
function words(pdf: Buffer): Word[] {
  return [...poppler(pdf, '-bbox').matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    text: m[5],
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
  }));
}

/** The PDF's streams, inflated. */
function streams(pdf: Buffer): Buffer[] {
  const found: Buffer[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('stream\n', at);
    if (start < 0) return found;
    const end = pdf.indexOf('\nendstream', start);
    found.push(inflateSync(pdf.subarray(start + 'stream\n'.length, end)));
    at = end + '\nendstream'.length;
  }
}

/**
 * The glyphs the page draws, in drawing order, as glyph ids of DejaVu Sans itself: pdfkit embeds
 * a subset with its own numbering, so each drawn glyph is matched to the original by its outline.
 */
function drawnGlyphIds(pdf: Buffer): number[] {
  const all = streams(pdf);
  // A TrueType file starts with version 1.0 or, as fontkit's subsets do, with 'true'.
  const fontFile = all.find((stream) => stream.readUInt32BE(0) === 0x00010000 || stream.subarray(0, 4).toString('latin1') === 'true');
  const content = all.map((stream) => stream.toString('latin1')).find((text) => text.includes(' TJ'));
  if (!fontFile || !content) throw new Error('no embedded TrueType font or no text in this PDF');
  const subset = fontkit.create(fontFile) as fontkit.Font;
  const original = fontkit.create(readFileSync(MINUTES_FONTS.regular)) as fontkit.Font;
  const byOutline = new Map<string, number>();
  for (let id = original.numGlyphs - 1; id >= 0; id -= 1) byOutline.set(original.getGlyph(id).path.toSVG(), id);
  const subsetIds = [...content.matchAll(/<([0-9a-f]+)>/g)].flatMap((m) => m[1].match(/.{4}/g)!.map((hex) => parseInt(hex, 16)));
  return subsetIds.map((id) => byOutline.get(subset.getGlyph(id).path.toSVG()) ?? -1);
}

describe('the minutes PDF in every language of Concord', () => {
  it('keeps Cyrillic, French accents and Arabic intact, and the English headings bold as before', async () => {
    const text = [
      'MINUTES: Совет по продажам — réunion de décembre',
      'ATTENDANCE',
      '  Present: Дмитрий Шостакович, Élodie Garçon-Lefèvre, Ніна Ґудзь, عائشة',
      '  - Décision : les prospects qualifiés sont rappelés sous une heure ouvrée',
    ].join('\n');
    const pdf = await minutesPdf(text);
    const back = readBack(pdf);
    for (const expected of ['Совет по продажам — réunion de décembre', 'Дмитрий Шостакович', 'Élodie Garçon-Lefèvre', 'Ніна Ґудзь', 'عائشة', 'Décision : les prospects qualifiés sont rappelés sous une heure ouvrée']) {
      expect(back).toContain(expected);
    }
    const heading = words(pdf).find((word) => word.text === 'ATTENDANCE')!;
    const body = words(pdf).find((word) => word.text === 'Present:')!;
    expect(heading.yMax - heading.yMin).toBeGreaterThan(body.yMax - body.yMin);
  });

  it('draws Arabic with its letters joined: the glyphs fontkit shapes, not the isolated letters', async () => {
    const name = 'عائشة';
    const pdf = await minutesPdf(name, { locale: 'ar', direction: 'rtl', headings: new Set() });
    const dejavu = fontkit.create(readFileSync(MINUTES_FONTS.regular)) as fontkit.Font;
    const shaped = dejavu.layout(name).glyphs.map((glyph) => glyph.id);
    const isolated = [...name].reverse().map((letter) => dejavu.glyphForCodePoint(letter.codePointAt(0)!).id);
    expect(shaped).not.toEqual(isolated);
    expect(drawnGlyphIds(pdf)).toEqual(shaped);
  });

  it('joins lam and alef into their ligature', async () => {
    const pdf = await minutesPdf('لا بأس', { locale: 'ar', direction: 'rtl', headings: new Set() });
    const dejavu = fontkit.create(readFileSync(MINUTES_FONTS.regular)) as fontkit.Font;
    const ligature = dejavu.layout('لا').glyphs;
    expect(ligature).toHaveLength(1);
    expect(drawnGlyphIds(pdf)).toContain(ligature[0].id);
  });

  it('sets an Arabic line right to left and right-aligned, a company name and a number in their own direction', async () => {
    // "Aisha calls Acme Corp in 2026", typed in this order.
    const pdf = await minutesPdf('تتصل عائشة بشركة Acme Corp في 2026', { locale: 'ar', direction: 'rtl', headings: new Set() });
    const drawn = words(pdf).sort((a, b) => a.xMin - b.xMin);
    // Left to right on the page; poppler gives each Arabic word's letters in drawn order too.
    const visual = (word: string) => (/[\u0600-\u06ff]/.test(word) ? [...word].reverse().join('') : word);
    expect(drawn.map((word) => word.text)).toEqual(['2026', 'في', 'Acme', 'Corp', 'بشركة', 'عائشة', 'تتصل'].map(visual));
    expect(Math.max(...drawn.map((word) => word.xMax))).toBeCloseTo(RIGHT, 0);
    // Read back in reading order: the Arabic phrase, then the name and the year as typed.
    expect(readBack(pdf)).toContain('تتصل عائشة بشركة');
    expect(readBack(pdf)).toContain('Acme Corp');
  });

  it('draws Arabic-Indic digits left to right and brackets mirrored inside Arabic text', async () => {
    // "Muhammad (manager): within 12 hours".
    const pdf = await minutesPdf('محمد (مدير): خلال ١٢ ساعة', { locale: 'ar', direction: 'rtl', headings: new Set() });
    const drawn = words(pdf).sort((a, b) => a.xMin - b.xMin).map((word) => word.text);
    expect(drawn).toContain('١٢');
    // Drawn left to right: ":(ريدم)" — the bracket that opens the aside sits on its right, facing it.
    expect(drawn).toContain(':(ريدم)');
  });

  it('draws Arabic-Indic digits left to right inside an English line too', async () => {
    const pdf = await minutesPdf('Total ١٢ leads, ٩٥ called', { headings: new Set() });
    const drawn = words(pdf).sort((a, b) => a.xMin - b.xMin).map((word) => word.text);
    expect(drawn).toEqual(['Total', '١٢', 'leads,', '٩٥', 'called']);
  });

  it('wraps a long Arabic paragraph inside the margins, each wrapped line read from the right', async () => {
    const sentence = Array.from({ length: 40 }, (_, index) => (index % 2 ? 'المبيعات' : 'التسويق')).join(' ');
    const pdf = await minutesPdf(`  - ${sentence}`, { locale: 'ar', direction: 'rtl', headings: new Set() });
    const drawn = words(pdf);
    const lines = [...new Set(drawn.map((word) => word.yMin))];
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const word of drawn) {
      expect(word.xMin).toBeGreaterThanOrEqual(MINUTES_PAGE.margin - 0.5);
      expect(word.xMax).toBeLessThanOrEqual(RIGHT + 0.5);
    }
    // Each line starts at the right margin with the next word in reading order: the first line
    // with the list dash, the second with word that follows the last word of the first.
    const firstLine = drawn.filter((word) => word.yMin === lines[0]).sort((a, b) => b.xMax - a.xMax);
    expect(firstLine[0].text).toBe('-');
    const wordsOnFirst = firstLine.length - 1;
    const secondLine = drawn.filter((word) => word.yMin === lines[1]).sort((a, b) => b.xMax - a.xMax);
    expect(secondLine[0].xMax).toBeCloseTo(RIGHT, 0);
    expect([...secondLine[0].text].reverse().join('')).toBe(wordsOnFirst % 2 ? 'المبيعات' : 'التسويق');
  });

  it('turns the page when a page is full, every line once and in order', async () => {
    const lines = Array.from({ length: 120 }, (_, index) => `  - بند ${index + 1}: متابعة العميل المحتمل`);
    const pdf = await minutesPdf(lines.join('\n'), { locale: 'ar', direction: 'rtl', headings: new Set() });
    const pages = poppler(pdf).split('\f').filter((page) => page.trim());
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const numbers = [...readBack(pdf).matchAll(/\d+/g)].map((m) => Number(m[0]));
    expect(numbers).toEqual(lines.map((_, index) => index + 1));
  });

  it('sets translated headings bold when the caller names them', async () => {
    const text = ['الحضور', '  الحاضرون: عائشة'].join('\n');
    const pdf = await minutesPdf(text, { locale: 'ar', direction: 'rtl', headings: new Set(['الحضور']) });
    const [heading, body] = words(pdf).sort((a, b) => a.yMin - b.yMin);
    expect(heading.yMax - heading.yMin).toBeGreaterThan(body.yMax - body.yMin);
    const russian = await minutesPdf('ПРИСУТСТВОВАЛИ\nДмитрий', { locale: 'ru', headings: (line) => line === 'ПРИСУТСТВОВАЛИ' });
    const [title, name] = words(russian);
    expect(title.yMax - title.yMin).toBeGreaterThan(name.yMax - name.yMin);
  });

  it('records the document language', async () => {
    const pdf = await minutesPdf('محضر', { locale: 'ar', direction: 'rtl' });
    expect(pdf.toString('latin1')).toMatch(/\/Lang \(ar\)/);
  });
});
