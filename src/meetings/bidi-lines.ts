import bidiModule from 'bidi-js';

/**
 * Lines of mixed-direction text laid out for a drawing surface that only draws left to right
 * (pdfkit): wrapping in logical order, then the Unicode Bidirectional Algorithm per wrapped line.
 * Pure functions: the caller measures and draws.
 */

export type TextDirection = 'ltr' | 'rtl';

/** A piece of one line, in the order it is drawn from left to right. */
export interface VisualRun {
  /** The characters in logical (typed) order; in a right-to-left run, brackets already mirrored. */
  text: string;
  /** Read right to left: its glyphs go from the last character on the left to the first on the right. */
  rtl: boolean;
  /** One white-space character: drawn as an advance only. */
  space: boolean;
}

// bidi-js is CommonJS typed as `export default`: Node hands its factory itself to a default import.
const bidi = (bidiModule as unknown as typeof bidiModule.default)();
const WHITE_SPACE = /\s/u;
/** Direction marks and embeddings typed into a note: they steer the algorithm, and are not drawn (rule X9). */
const DIRECTION_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/**
 * One line (no line break inside) in visual order. The paragraph level is the document's
 * direction, not guessed from the first letter, as `dir` does in HTML: an English name alone on a
 * line of an Arabic document still sits at the right. Runs are cut at every change of level and
 * every space, so each run is one word or part of a word in one direction; a run's characters
 * stay in logical order because the shaper lays a right-to-left run out itself (Arabic joining
 * needs logical order) — only the order of runs is the algorithm's (rules L1–L2, L4 mirroring).
 */
export function visualRuns(line: string, direction: TextDirection): VisualRun[] {
  if (line.length === 0) return [];
  const embedding = bidi.getEmbeddingLevels(line, direction);
  const order = bidi.getReorderedIndices(line, embedding);
  const mirrored = bidi.getMirroredCharactersMap(line, embedding.levels);
  const runs: VisualRun[] = [];
  let first = -1;
  let last = -1;
  const flush = () => {
    if (first < 0) return;
    const start = Math.min(first, last);
    const end = Math.max(first, last);
    let text = '';
    for (let index = start; index <= end; index += 1) {
      if (!DIRECTION_CONTROL.test(line[index])) text += mirrored.get(index) ?? line[index];
    }
    if (text) runs.push({ text, rtl: embedding.levels[start] % 2 === 1, space: false });
    first = -1;
  };
  for (const index of order) {
    const character = line[index];
    if (WHITE_SPACE.test(character)) {
      flush();
      runs.push({ text: character, rtl: embedding.levels[index] % 2 === 1, space: true });
      continue;
    }
    if (first >= 0) {
      const rtl = embedding.levels[first] % 2 === 1;
      const adjacent = index === last + (rtl ? -1 : 1);
      if (!adjacent || embedding.levels[index] !== embedding.levels[first]) flush();
    }
    if (first < 0) first = index;
    last = index;
  }
  flush();
  return runs;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A logical line cut into lines no wider than `maxWidth`, at spaces; a word wider than a whole
 * line is cut between letters (never inside a letter with its marks) where it must, starting on
 * the line it begins on. Leading spaces (indentation) stay on the first line; spaces at a cut go.
 */
export function wrapLine(line: string, maxWidth: number, widthOf: (text: string) => number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const piece of line.match(/\s+|\S+/gu) ?? []) {
    if (WHITE_SPACE.test(piece[0])) {
      current += piece;
      continue;
    }
    if (widthOf(current + piece) <= maxWidth) {
      current += piece;
      continue;
    }
    if (widthOf(piece) <= maxWidth) {
      if (current.trim()) lines.push(current.trimEnd());
      current = piece;
      continue;
    }
    // Wider than any line: fill what is left of this one, then whole lines.
    let rest = [...graphemes.segment(piece)].map((segment) => segment.segment);
    while (rest.length > 0) {
      const fits = longestFittingPrefix(current, rest, maxWidth, widthOf);
      if (fits === 0 && current.trim()) {
        lines.push(current.trimEnd());
        current = '';
        continue;
      }
      const taken = Math.max(fits, 1);
      current += rest.slice(0, taken).join('');
      rest = rest.slice(taken);
      if (rest.length > 0) {
        lines.push(current.trimEnd());
        current = '';
      }
    }
  }
  lines.push(current.trimEnd());
  return lines;
}

function longestFittingPrefix(current: string, letters: string[], maxWidth: number, widthOf: (text: string) => number): number {
  let low = 0;
  let high = letters.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (widthOf(current + letters.slice(0, middle).join('')) <= maxWidth) low = middle;
    else high = middle - 1;
  }
  return low;
}
