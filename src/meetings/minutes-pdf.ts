import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

/**
 * The fonts the minutes PDF embeds: DejaVu Sans and its bold, from the `dejavu-fonts-ttf` npm
 * package. PDF's 14 standard fonts (Helvetica…) know only WinAnsi, so Cyrillic came out as
 * `A¤2C;C„…`; DejaVu covers Latin Extended, Greek, Cyrillic and Arabic, is free to embed, and
 * ships in the package — nothing is fetched at run time. Resolved through Node's resolution from
 * this module, so it is found from src/ (tests) and dist/ alike.
 */
const require = createRequire(import.meta.url);
export const MINUTES_FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

let fontData: { regular: Buffer; bold: Buffer } | undefined;
/** Read once per process: pdfkit subsets what each document uses. */
function fonts(): { regular: Buffer; bold: Buffer } {
  fontData ??= { regular: readFileSync(MINUTES_FONTS.regular), bold: readFileSync(MINUTES_FONTS.bold) };
  return fontData;
}

export const MINUTES_PAGE = { size: 'A4' as const, margin: 56 };

/** A line of the plain-text minutes that is a section heading ("ATTENDANCE", "ACTION ITEMS REVIEWED"). */
export function isHeading(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.length > 3 && /^[A-Z][A-Z ,:'’-]+$/.test(trimmed);
}

/**
 * The plain-text minutes set as a simple A4 document: readable, printable, archivable, in any
 * alphabet. pdfkit wraps each line inside the margins, cutting a word wider than the page
 * (a 600-character note without a space) where it must.
 */
export function minutesPdf(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const document = new PDFDocument({ size: MINUTES_PAGE.size, margin: MINUTES_PAGE.margin, info: { Title: text.split('\n')[0], Creator: 'Concord' } });
    const chunks: Buffer[] = [];
    document.on('data', (chunk: Buffer) => chunks.push(chunk));
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
    const { regular, bold } = fonts();
    document.registerFont('minutes', regular);
    document.registerFont('minutes-bold', bold);
    for (const line of text.split('\n')) {
      const heading = isHeading(line);
      document.font(heading ? 'minutes-bold' : 'minutes').fontSize(heading ? 12 : 10).text(line || ' ');
    }
    document.end();
  });
}
