import fc from 'fast-check';
import { formatImportProblem, parseXmlCalendar } from './xml-calendar.js';

const ISSUE_EXAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2026" lang="ru" date="2025.09.30" country="ru">
  <holidays><holiday id="1" title="Новогодние каникулы"/> <holiday id='2' title="Рождество &amp; &#x41;"/></holidays>
  <days><day d="01.01" t="1" h="1"/> <day d="01.09" t="1" f="01.03"/> <day d="04.30" t="2"/>
    <!-- a comment, with <tags> inside -->
    <day d="01.07" t="1" h="2"></day>
    <day d="11.07" t="3"/>
  </days>
</calendar>
`;

/** A 2027 file with one line per day, to read problems' line numbers easily. */
function file2027(...days: string[]): string {
  return ['<calendar year="2027" country="ru">', '<holidays><holiday id="1" title="New Year"/></holidays>', '<days>', ...days, '</days>', '</calendar>'].join('\n');
}

describe('parseXmlCalendar', () => {
  it('reads the year, the publication date, the holidays and every day, sorted by date', () => {
    const { problems, calendar } = parseXmlCalendar(ISSUE_EXAMPLE);
    expect(problems).toEqual([]);
    expect(calendar).toEqual({
      year: 2026,
      country: 'ru',
      published: '2025-09-30',
      days: [
        { date: '2026-01-01', kind: 'closed', holiday: 'Новогодние каникулы' },
        { date: '2026-01-07', kind: 'closed', holiday: 'Рождество & A' },
        { date: '2026-01-09', kind: 'closed', movedFrom: '2026-01-03' },
        { date: '2026-04-30', kind: 'short' },
        { date: '2026-11-07', kind: 'working' },
      ],
    });
  });

  it('reads attributes written without a space after a quoted value, as the published RU 2025 file does', () => {
    const { problems, calendar } = parseXmlCalendar('<calendar year="2025" lang="ru" date="2024.12.01"country="ru"><days><day d="11.01" t="2"/></days></calendar>');
    expect(problems).toEqual([]);
    expect(calendar).toMatchObject({ year: 2025, country: 'ru', published: '2024-12-01', days: [{ date: '2025-11-01', kind: 'short' }] });
  });

  it('accepts a file without holidays, country or publication date', () => {
    expect(parseXmlCalendar('<calendar year="2027"><days/></calendar>')).toEqual({ problems: [], calendar: { year: 2027, days: [] } });
  });

  it.each([
    ['an unclosed element', '<calendar year="2027">\n<days>\n<day d="01.01" t="1"/>\n</calendar>', 4, /malformed XML: <\/calendar> closes <days> opened on line 2/],
    ['a truncated file', '<calendar year="2027">\n<days>\n<day d="01.01" t="1"/>', 2, /<days> opened here is never closed/],
    ['an unquoted attribute', '<calendar year=2027><days/></calendar>', 1, /value of year must be quoted/],
    ['a DOCTYPE', '<!DOCTYPE calendar [<!ENTITY x "y">]>\n<calendar year="2027"/>', 1, /DOCTYPE/],
    ['text', '<calendar year="2027">\n<days>\nhello</days></calendar>', 3, /unexpected text "hello"/],
    ['a second root', '<calendar year="2027"><days/></calendar>\n<calendar year="2028"/>', 2, /a second root element/],
    ['an unknown entity', '<calendar year="2027"><holidays><holiday id="1" title="&nbsp;"/></holidays><days/></calendar>', 1, /unknown entity &nbsp;/],
    ['a repeated attribute', '<calendar year="2027" year="2028"><days/></calendar>', 1, /has year twice/],
    ['another root element', '<year><days/></year>', 1, /root element is <year>, not <calendar>/],
    ['no year', '<calendar><days/></calendar>', 1, /needs a year="YYYY"/],
    ['no days', '<calendar year="2027"></calendar>', 1, /has no <days>/],
    ['an empty document', '  ', 1, /has no <calendar>/],
    // String.fromCodePoint throws on these: refused as the file's problem, never a thrown RangeError.
    ['a character reference past U+10FFFF', '<calendar year="2027"><holidays><holiday id="1" title="&#x110000;"/></holidays><days><day d="01.01" t="1" h="1"/></days></calendar>', 1, /&#x110000; is no character XML allows/],
    ['a huge decimal character reference', '<calendar year="2027">\n<holidays><holiday id="1" title="&#99999999999999999999999;"/></holidays><days/></calendar>', 2, /&#99999999999999999999999; is no character/],
    ['a surrogate character reference', '<calendar year="2027">\n<holidays><holiday id="1" title="&#xD800;"/></holidays><days/></calendar>', 2, /&#xD800; is no character/],
    ['a NUL character reference', '<calendar year="2027" lang="&#0;"><days/></calendar>', 1, /&#0; is no character/],
  ])('refuses %s, naming the line', (_case, text, line, message) => {
    const { problems, calendar } = parseXmlCalendar(text);
    expect(calendar).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0].line).toBe(line);
    expect(problems[0].message).toMatch(message);
  });

  it('refuses unknown t, impossible dates, repeated dates and unknown holidays, naming each line and date', () => {
    const { problems, calendar } = parseXmlCalendar(
      file2027(
        '<day d="01.01" t="1" h="1"/>',
        '<day d="02.30" t="1"/>',
        '<day d="05.03" t="4"/>',
        '<day d="01.01" t="2"/>',
        '<day d="06.14" t="1" h="9"/>',
        '<day d="06.15" t="1" f="13.01"/>',
        '<dya d="06.16" t="1"/>',
        '<day d="2027-06-17" t="1"/>',
      ),
    );
    expect(calendar).toBeUndefined();
    expect(problems.map(formatImportProblem)).toEqual([
      'line 5: d="02.30" is not a date of 2027 (MM.DD)',
      'line 6 (2027-05-03): unknown t="4": 1 is a day off, 2 a day one hour shorter, 3 a working day',
      'line 7 (2027-01-01): the date is given twice (first on line 4)',
      'line 8 (2027-06-14): h="9" names no <holiday id="9">',
      'line 9 (2027-06-15): f="13.01" is not a date of 2027 (MM.DD)',
      'line 10: <days> holds <day> elements, not <dya>',
      'line 11: d="2027-06-17" is not a date of 2027 (MM.DD)',
    ]);
  });

  it('never throws, whatever the text: random strings, XML-like fragments and character references', () => {
    const fragment = fc.oneof(
      fc.string(),
      fc.constantFrom('<calendar year="2027">', '</calendar>', '<days>', '</days>', '<day d="01.01" t="1"/>', '<holidays>', '<holiday id="1" title="', '"/>', '<!--', '-->', '<?xml', '?>', '&amp;', '&', '<', '>', '"', "'", '\n'),
      fc.bigInt({ min: 0n, max: 10n ** 30n }).map((n) => `&#${n};`),
      fc.bigInt({ min: 0n, max: 16n ** 12n }).map((n) => `&#x${n.toString(16)};`),
    );
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join('')));
    fc.assert(
      fc.property(text, (input) => {
        const { problems, calendar } = parseXmlCalendar(input);
        expect(calendar === undefined ? problems.length > 0 : problems.length === 0).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
