import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { type TextDirection, type VisualRun, visualRuns, wrapLine } from './bidi-lines.js';

/**
 * The fonts the minutes PDF embeds: DejaVu Sans and its bold, from the `dejavu-fonts-ttf` npm
 * package. PDF's 14 standard fonts (Helvetica…) know only WinAnsi, so Cyrillic came out as
 * `A¤2C;C„…`; DejaVu covers Latin Extended, Greek, Cyrillic and Arabic (with the OpenType tables
 * that join Arabic letters: initial, medial, final and isolated forms, lam-alef ligatures), in
 * regular and bold, is free to embed, and ships in the package — nothing is fetched at run time.
 * One font for every alphabet means a line mixing Arabic, a Latin company name and a number needs
 * no font switching. Resolved through Node's resolution from this module, so it is found from
 * src/ (tests) and dist/ alike.
 */
const require = createRequire(import.meta.url);
export const MINUTES_FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

interface MinutesFonts {
  regular: Buffer;
  bold: Buffer;
  /** The regular face parsed by fontkit, the shaper pdfkit itself uses: asked which way it lays a run out. */
  shaper: fontkit.Font;
}
let fontData: MinutesFonts | undefined;
/** Read once per process: pdfkit subsets what each document uses. */
function fonts(): MinutesFonts {
  if (!fontData) {
    const regular = readFileSync(MINUTES_FONTS.regular);
    const shaper = fontkit.create(regular);
    if (!('layout' in shaper)) throw new Error(`${MINUTES_FONTS.regular} is a font collection, not a font`);
    fontData = { regular, bold: readFileSync(MINUTES_FONTS.bold), shaper };
  }
  return fontData;
}

export const MINUTES_PAGE = { size: 'A4' as const, margin: 56 };

/** A line of the English plain-text minutes that is a section heading ("ATTENDANCE", "ACTION ITEMS REVIEWED"). */
export function isHeading(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.length > 3 && /^[A-Z][A-Z ,:'’-]+$/.test(trimmed);
}

export interface MinutesPdfOptions {
  /** The document's language (BCP 47, e.g. `ar`, `fr`), recorded as the PDF's /Lang for screen readers and search. Default `en`. */
  locale?: string;
  /**
   * The direction every line is read in: `rtl` lays each line out right to left and aligns it
   * right. Default `ltr`. Within a line, numbers and Latin names keep their own direction.
   */
  direction?: TextDirection;
  /**
   * Which lines are section headings, set in bold: the heading lines exactly as the template
   * rendered them (compared trimmed), or a test of a line. Translated headings have no upper case
   * to tell them by (Arabic has no case at all), so whoever rendered them says which they are.
   * Default: `isHeading`, the English template's upper-case headings.
   */
  headings?: ReadonlySet<string> | ((line: string) => boolean);
}

/**
 * The plain-text minutes set as a simple A4 document: readable, printable, archivable, in any
 * alphabet and either direction. pdfkit draws left to right only and does no bidirectional
 * reordering (fontkit, under it, joins Arabic letters and reverses each word, but words stay in
 * typed order), so each line is wrapped here in logical order, reordered by the Unicode
 * Bidirectional Algorithm per wrapped line, and drawn run by run at measured positions. A word
 * wider than the page (a 600-character note without a space) is cut where it must.
 */
export function minutesPdf(text: string, options: MinutesPdfOptions = {}): Promise<Buffer> {
  const direction = options.direction ?? 'ltr';
  const headings = options.headings ?? isHeading;
  const headingAt = typeof headings === 'function' ? headings : (line: string) => headings.has(line.trim());
  return new Promise((resolve, reject) => {
    const document = new PDFDocument({
      size: MINUTES_PAGE.size,
      margin: MINUTES_PAGE.margin,
      lang: options.locale ?? 'en',
      info: { Title: text.split('\n')[0], Creator: 'Concord' },
    });
    const chunks: Buffer[] = [];
    document.on('data', (chunk: Buffer) => chunks.push(chunk));
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
    const { regular, bold, shaper } = fonts();
    document.registerFont('minutes', regular);
    document.registerFont('minutes-bold', bold);
    const left = document.page.margins.left;
    const right = document.page.width - document.page.margins.right;
    let y = document.page.margins.top;
    for (const paragraph of text.split('\n')) {
      const heading = headingAt(paragraph);
      document.font(heading ? 'minutes-bold' : 'minutes').fontSize(heading ? 12 : 10);
      const lineHeight = document.currentLineHeight(true);
      for (const line of wrapLine(paragraph, right - left, (part) => document.widthOfString(part))) {
        if (y + lineHeight > document.page.maxY()) {
          document.addPage();
          y = document.page.margins.top;
        }
        const pieces = drawPieces(visualRuns(line, direction), shaper).map((piece) => ({ ...piece, width: document.widthOfString(piece.text) }));
        const width = pieces.reduce((sum, piece) => sum + piece.width, 0);
        let x = direction === 'rtl' ? right - width : left;
        for (const piece of pieces) {
          if (piece.text.trim()) document.text(asShaperLaysOut(piece.text, piece.rtl, shaper), x, y, { lineBreak: false });
          x += piece.width;
        }
        y += lineHeight;
      }
    }
    document.end();
  });
}

/**
 * What one `text` call draws. Left-to-right runs next to each other, with the spaces between
 * them, go in one call, as pdfkit has always drawn them (an English line is one call, as before);
 * each right-to-left run goes alone, because pdfkit would hand fontkit a word with the space
 * after it, and fontkit, reversing the word, would put that space on the wrong side.
 */
function drawPieces(runs: VisualRun[], shaper: fontkit.Font): Array<{ text: string; rtl: boolean }> {
  const pieces: Array<{ text: string; rtl: boolean; joins: boolean }> = [];
  for (const run of runs) {
    // Arabic-Indic digits read left to right but fontkit would reverse them: drawn alone, turned first.
    const joins = !run.rtl && !shaperReadsRightToLeft(run.text, shaper);
    const previous = pieces.at(-1);
    if (previous?.joins && joins) previous.text += run.text;
    else pieces.push({ text: run.text, rtl: run.rtl, joins });
  }
  return pieces;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * fontkit reverses a run exactly when its script is written right to left. A run the algorithm
 * reads the other way — Arabic-Indic digits (Arabic script, but read left to right), or
 * punctuation between Arabic words (no script, read right to left) — is reversed here first, so
 * the two reversals leave it as the algorithm ordered it. Such runs never join letters, so
 * reversing them changes no shape.
 */
function asShaperLaysOut(text: string, rtl: boolean, shaper: fontkit.Font): string {
  if (shaperReadsRightToLeft(text, shaper) === rtl) return text;
  return [...graphemes.segment(text)].map((segment) => segment.segment).reverse().join('');
}

/**
 * fontkit takes a run's script from its first character of a real script (not Common, Inherited
 * or Unknown), so that character alone is laid out to ask — a whole line each time tripled the
 * time an English document took.
 */
const FIRST_OF_A_SCRIPT = /[^\p{Script=Common}\p{Script=Inherited}\p{Script=Unknown}]/u;
const readsRightToLeft = new Map<string, boolean>();
function shaperReadsRightToLeft(text: string, shaper: fontkit.Font): boolean {
  const character = FIRST_OF_A_SCRIPT.exec(text)?.[0];
  if (character === undefined) return false;
  let rtl = readsRightToLeft.get(character);
  if (rtl === undefined) {
    rtl = shaper.layout(character).direction === 'rtl';
    readsRightToLeft.set(character, rtl);
  }
  return rtl;
}
