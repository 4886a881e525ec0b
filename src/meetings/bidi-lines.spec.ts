import fc from 'fast-check';
import { visualRuns, wrapLine } from './bidi-lines.js';

/** The words of a line as drawn from left to right, with which way each reads. */
const drawn = (line: string, direction: 'ltr' | 'rtl') =>
  visualRuns(line, direction)
    .filter((run) => !run.space)
    .map((run) => `${run.text}${run.rtl ? '←' : '→'}`);

describe('visualRuns: one line in the order it is drawn, left to right', () => {
  it('leaves a left-to-right line as typed', () => {
    expect(drawn('Решение: горячие лиды — Élodie', 'ltr')).toEqual(['Решение:→', 'горячие→', 'лиды→', '—→', 'Élodie→']);
  });

  it('draws the words of an Arabic line from the right, a Latin company name and a number each in their own direction', () => {
    // "Aisha calls Acme Corp in 2026", typed in this order.
    expect(drawn('تتصل عائشة بشركة Acme Corp في 2026', 'rtl')).toEqual(['2026→', 'في←', 'Acme→', 'Corp→', 'بشركة←', 'عائشة←', 'تتصل←']);
  });

  it('reverses an Arabic phrase inside an English line, and only the phrase', () => {
    expect(drawn('Action for عائشة محمد, due 2026-12-16', 'ltr')).toEqual(['Action→', 'for→', 'محمد←', 'عائشة←', ',→', 'due→', '2026-12-16→']);
  });

  it('mirrors brackets read right to left, so "(مدير)" still opens on the right', () => {
    expect(drawn('محمد (مدير)', 'rtl')).toEqual([')مدير(←', 'محمد←']);
  });

  it('keeps Arabic-Indic digits left to right inside Arabic text, the Arabic percent sign after them on the left', () => {
    expect(drawn('الهدف ٩٥٪ خلال ١٢ ساعة', 'rtl')).toEqual(['ساعة←', '١٢→', 'خلال←', '٪←', '٩٥→', 'الهدف←']);
  });

  it('puts the indentation of an Arabic line at its right, where the line starts', () => {
    const runs = visualRuns('  - بند', 'rtl');
    expect(runs.map((run) => run.text)).toEqual(['بند', ' ', '-', ' ', ' ']);
  });

  it('follows direction marks typed into a note without drawing them', () => {
    // A right-to-left embedding around the name makes it part of the Arabic phrase that follows.
    expect(drawn('Acme عائشة', 'ltr')).toEqual(['Acme→', 'عائشة←']);
    expect(drawn('\u202bAcme\u202c عائشة', 'ltr')).toEqual(['عائشة←', 'Acme→']);
    expect(visualRuns('عائشة\u200f (Acme)', 'rtl').map((run) => run.text).join('')).not.toMatch(/[\u200f\u202b\u202c]/);
  });

  it('keeps an isolated ISO date in its own order inside Arabic, where the algorithm alone would not', () => {
    // After Arabic letters, European digits count as Arabic numbers and the hyphens between them
    // become neutral (rules W2, W4): browsers too show "15-12-2026", read from the right. A
    // caller that wants the ISO order isolates the date (U+2066 … U+2069, HTML's <bdi>).
    expect(drawn('الاستحقاق 2026-12-15', 'rtl')).toEqual(['15→', '-←', '12→', '-←', '2026→', 'الاستحقاق←']);
    expect(drawn('الاستحقاق \u20662026-12-15\u2069', 'rtl')).toEqual(['2026-12-15→', 'الاستحقاق←']);
  });

  it('draws every character of the line exactly once', () => {
    const letters = fc.constantFrom(...'abc عائشة لا ١٢ 12 (),:-—Жé'.split(''));
    fc.assert(
      fc.property(fc.array(letters, { maxLength: 40 }).map((chars) => chars.join('')), fc.constantFrom('ltr' as const, 'rtl' as const), (line, direction) => {
        const runs = visualRuns(line, direction);
        const unmirror = (text: string) => text.replace(/[()]/g, (bracket) => (bracket === '(' ? ')' : '('));
        const characters = runs.flatMap((run) => [...(run.rtl ? unmirror(run.text) : run.text)]);
        // (no direction marks among these letters, so nothing is left undrawn)
        expect(characters.sort()).toEqual([...line].sort());
      }),
    );
  });

  it('draws a line in one script and one direction as typed, words reversed for right to left', () => {
    const arabicWords = fc.array(fc.constantFrom('عائشة', 'محمد', 'لا', 'بشركة', 'اجتماع'), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(arabicWords, (words) => {
        expect(drawn(words.join(' '), 'rtl')).toEqual([...words].reverse().map((word) => `${word}←`));
        expect(drawn(words.join(' '), 'ltr')).toEqual([...words].reverse().map((word) => `${word}←`));
      }),
    );
  });
});

describe('wrapLine: a logical line cut to a width', () => {
  const byLength = (text: string) => text.length;

  it('cuts at spaces and drops the spaces at a cut', () => {
    expect(wrapLine('one two three four', 9, byLength)).toEqual(['one two', 'three', 'four']);
  });

  it('keeps the indentation on the first line', () => {
    expect(wrapLine('   - alpha beta', 10, byLength)).toEqual(['   - alpha', 'beta']);
  });

  it('cuts a word wider than a line between letters, never splitting a letter from its mark', () => {
    const lines = wrapLine('ab ' + 'e\u0301'.repeat(5), 6, byLength);
    expect(lines.every((line) => line.length <= 6)).toBe(true);
    expect(lines.join('')).toBe('ab ' + 'e\u0301'.repeat(5));
    expect(lines.every((line) => !line.startsWith('\u0301'))).toBe(true);
  });

  it('keeps an empty line', () => {
    expect(wrapLine('', 10, byLength)).toEqual(['']);
  });

  it('never exceeds the width and loses no word', () => {
    const word = fc.stringMatching(/^[a-zЖ]{1,25}$/);
    fc.assert(
      fc.property(fc.array(word, { maxLength: 20 }), fc.integer({ min: 5, max: 30 }), (words, width) => {
        const lines = wrapLine(words.join(' '), width, byLength);
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
        expect(lines.join('').replace(/ /g, '')).toBe(words.join(''));
      }),
    );
  });
});
