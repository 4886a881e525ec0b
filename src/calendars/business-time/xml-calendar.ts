import { isIsoDate } from './calendar-definition.js';
import type { ProductionCalendarYear, ProductionDay, ProductionDayKind } from './production-days.js';

/**
 * The xmlcalendar format, the production calendars that accounting and HR software in Russia,
 * Belarus, Kazakhstan and Uzbekistan exchange, one file a country and year:
 *
 *   <calendar year="2026" lang="ru" date="2025.09.30" country="ru">
 *     <holidays><holiday id="1" title="Новогодние каникулы"/> …</holidays>
 *     <days><day d="01.01" t="1" h="1"/> <day d="01.09" t="1" f="01.03"/> <day d="04.30" t="2"/> …</days>
 *   </calendar>
 *
 * No XML parser ships with the project and this format needs a tiny part of XML, so it is read
 * here by a small strict reader: elements, attributes, comments, the XML declaration and the five
 * predefined entities. A DOCTYPE (and so any entity expansion), CDATA or text is refused.
 */

/** Why an imported file is refused: the line (1-based) and, when known, the date concerned. */
export interface ImportProblem {
  line: number;
  /** YYYY-MM-DD, when the problem concerns a date that could be read. */
  date?: string;
  message: string;
}

/** "line 14 (2026-05-01): …", for answers and logs. */
export function formatImportProblem(problem: ImportProblem): string {
  return `line ${problem.line}${problem.date ? ` (${problem.date})` : ''}: ${problem.message}`;
}

interface XmlAttribute {
  value: string;
  line: number;
}

interface XmlElement {
  name: string;
  line: number;
  attributes: Map<string, XmlAttribute>;
  children: XmlElement[];
}

class XmlSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * XML 1.0's Char production: what a character reference may name. Anything else — 0, a
 * surrogate, a code point past U+10FFFF (where String.fromCodePoint throws) — is refused.
 */
function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/** Reads the one root element of a document; throws XmlSyntaxError at the first fault. */
function readDocument(text: string): XmlElement {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const advanceTo = (end: number) => {
    for (let k = at; k < end; k++) if (text.charCodeAt(k) === 10) line += 1;
    at = end;
  };
  const fail = (message: string): never => {
    throw new XmlSyntaxError(line, message);
  };
  const skipSpace = () => {
    let end = at;
    while (end < text.length && /\s/.test(text[end])) end += 1;
    advanceTo(end);
  };
  const readName = (what: string): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(text);
    if (!match) fail(`expected ${what} at ${JSON.stringify(text.slice(at, at + 12))}`);
    advanceTo(at + match![0].length);
    return match![0];
  };
  const decode = (raw: string): string =>
    raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);|&/g, (whole, entity: string | undefined) => {
      if (entity === undefined) return fail('a bare "&" must be written "&amp;"');
      if (entity.startsWith('#')) {
        const codePoint = entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
        return isXmlChar(codePoint) ? String.fromCodePoint(codePoint) : fail(`${whole} is no character XML allows`);
      }
      return ENTITIES[entity] ?? fail(`unknown entity ${whole}`);
    });

  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (at < text.length) {
    const lt = text.indexOf('<', at);
    const textEnd = lt < 0 ? text.length : lt;
    const between = text.slice(at, textEnd);
    if (between.trim() !== '') {
      advanceTo(at + between.search(/\S/));
      fail(`unexpected text ${JSON.stringify(between.trim().slice(0, 20))}`);
    }
    advanceTo(textEnd);
    if (lt < 0) break;

    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end < 0) fail('a comment is never closed (-->)');
      advanceTo(end + 3);
      continue;
    }
    if (text.startsWith('<?', at)) {
      if (root || stack.length > 0) fail('a processing instruction may only open the document');
      const end = text.indexOf('?>', at + 2);
      if (end < 0) fail('the XML declaration is never closed (?>)');
      advanceTo(end + 2);
      continue;
    }
    if (text.startsWith('<!', at)) fail('a DOCTYPE or CDATA section is not accepted in a production calendar');

    if (text.startsWith('</', at)) {
      advanceTo(at + 2);
      const name = readName('an element name');
      skipSpace();
      if (text[at] !== '>') fail(`expected ">" to close </${name}`);
      advanceTo(at + 1);
      const open = stack.pop();
      if (!open) fail(`</${name}> closes nothing`);
      if (open!.name !== name) fail(`</${name}> closes <${open!.name}> opened on line ${open!.line}`);
      continue;
    }

    advanceTo(at + 1);
    const element: XmlElement = { name: readName('an element name'), line, attributes: new Map(), children: [] };
    if (root && stack.length === 0) fail(`a second root element <${element.name}>; the document has one (<${root.name}>)`);
    for (;;) {
      const spaceStart = at;
      skipSpace();
      if (text.startsWith('/>', at) || text[at] === '>') break;
      if (at >= text.length) fail(`<${element.name}> is never closed`);
      // XML wants a space between attributes, but the published xmlcalendar files (RU 2025's
      // `date="2024.12.01"country="ru"`) omit one after a quoted value; the quote ends the value
      // unambiguously, so only a name running straight into an attribute is refused.
      if (at === spaceStart && element.attributes.size === 0) fail(`attributes of <${element.name}> must be separated by a space`);
      const attributeLine = line;
      const attribute = readName('an attribute name');
      skipSpace();
      if (text[at] !== '=') fail(`expected "=" after ${attribute}`);
      advanceTo(at + 1);
      skipSpace();
      const quote = text[at];
      if (quote !== '"' && quote !== "'") fail(`the value of ${attribute} must be quoted`);
      const close = text.indexOf(quote, at + 1);
      if (close < 0) fail(`the value of ${attribute} is never closed`);
      const raw = text.slice(at + 1, close);
      if (raw.includes('<')) fail(`the value of ${attribute} contains "<"`);
      advanceTo(close + 1);
      if (element.attributes.has(attribute)) fail(`<${element.name}> has ${attribute} twice`);
      element.attributes.set(attribute, { value: decode(raw), line: attributeLine });
    }
    const selfClosing = text[at] === '/';
    advanceTo(at + (selfClosing ? 2 : 1));
    if (stack.length > 0) stack[stack.length - 1].children.push(element);
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1];
    throw new XmlSyntaxError(open.line, `<${open.name}> opened here is never closed`);
  }
  if (!root) throw new XmlSyntaxError(line, 'the document has no <calendar> element');
  return root;
}

const MONTH_DAY = /^(\d{2})\.(\d{2})$/;
const DAY_KINDS: Record<string, ProductionDayKind> = { '1': 'closed', '2': 'short', '3': 'working' };

/** "MM.DD" of `year` as YYYY-MM-DD, or undefined when it is no real date of that year. */
function dateOfYear(monthDay: string, year: number): string | undefined {
  const match = MONTH_DAY.exec(monthDay);
  if (!match) return undefined;
  const iso = `${year}-${match[1]}-${match[2]}`;
  return isIsoDate(iso) ? iso : undefined;
}

/**
 * Parses an xmlcalendar file: either its year and days, or every problem found (with the line
 * and, when known, the date). Never throws, whatever the input: an import answers a 400 for a
 * bad file, and a fault of this reader must not become a 500 either.
 */
export function parseXmlCalendar(text: string): { problems: ImportProblem[]; calendar?: ProductionCalendarYear } {
  try {
    return readCalendar(readDocument(String(text)));
  } catch (error) {
    if (error instanceof XmlSyntaxError) return { problems: [{ line: error.line, message: `malformed XML: ${error.message}` }] };
    // Unreachable by any input the tests know of (the property test tries random ones); kept so
    // that a reader fault refuses the file rather than failing the request.
    return { problems: [{ line: 1, message: `the file could not be read: ${error instanceof Error ? error.message : String(error)}` }] };
  }
}

/** The year and days of a well-formed document, or its problems. */
function readCalendar(root: XmlElement): { problems: ImportProblem[]; calendar?: ProductionCalendarYear } {
  const problems: ImportProblem[] = [];
  if (root.name !== 'calendar') {
    return { problems: [{ line: root.line, message: `the root element is <${root.name}>, not <calendar>` }] };
  }
  const yearText = root.attributes.get('year')?.value;
  const year = yearText !== undefined && /^(19|2\d)\d\d$/.test(yearText) ? Number(yearText) : undefined;
  if (year === undefined) {
    problems.push({ line: root.line, message: `<calendar> needs a year="YYYY" (found ${JSON.stringify(yearText ?? null)})` });
  }

  const titles = new Map<string, string>();
  const lists = (name: string) => root.children.filter((child) => child.name === name);
  for (const holidays of lists('holidays')) {
    for (const holiday of holidays.children) {
      if (holiday.name !== 'holiday') {
        problems.push({ line: holiday.line, message: `<holidays> holds <holiday> elements, not <${holiday.name}>` });
        continue;
      }
      const id = holiday.attributes.get('id')?.value;
      if (id === undefined || !/^\d+$/.test(id)) {
        problems.push({ line: holiday.line, message: `<holiday> needs a numeric id (found ${JSON.stringify(id ?? null)})` });
      } else if (titles.has(id)) {
        problems.push({ line: holiday.line, message: `holiday id="${id}" is given twice` });
      } else {
        titles.set(id, holiday.attributes.get('title')?.value ?? '');
      }
    }
  }

  const dayLists = lists('days');
  if (dayLists.length !== 1) {
    problems.push({ line: root.line, message: dayLists.length === 0 ? 'the file has no <days>' : '<days> is given twice' });
  }
  const days: ProductionDay[] = [];
  const seen = new Map<string, number>();
  for (const element of dayLists.flatMap((list) => list.children)) {
    if (element.name !== 'day') {
      problems.push({ line: element.line, message: `<days> holds <day> elements, not <${element.name}>` });
      continue;
    }
    const d = element.attributes.get('d')?.value;
    const t = element.attributes.get('t')?.value;
    const date = d !== undefined && year !== undefined ? dateOfYear(d, year) : undefined;
    if (year !== undefined && date === undefined) {
      problems.push({ line: element.line, message: `d=${JSON.stringify(d ?? null)} is not a date of ${year} (MM.DD)` });
    }
    const kind = t === undefined ? undefined : DAY_KINDS[t];
    if (kind === undefined) {
      problems.push({
        line: element.line,
        date,
        message: `unknown t=${JSON.stringify(t ?? null)}: 1 is a day off, 2 a day one hour shorter, 3 a working day`,
      });
    }
    if (date !== undefined && seen.has(date)) {
      problems.push({ line: element.line, date, message: `the date is given twice (first on line ${seen.get(date)})` });
      continue;
    }
    if (date !== undefined) seen.set(date, element.line);

    const day: Partial<ProductionDay> = { date, kind };
    const h = element.attributes.get('h')?.value;
    if (h !== undefined) {
      if (titles.has(h)) day.holiday = titles.get(h);
      else problems.push({ line: element.line, date, message: `h="${h}" names no <holiday id="${h}">` });
    }
    const f = element.attributes.get('f')?.value;
    if (f !== undefined && year !== undefined) {
      const from = dateOfYear(f, year);
      if (from === undefined) problems.push({ line: element.line, date, message: `f=${JSON.stringify(f)} is not a date of ${year} (MM.DD)` });
      else day.movedFrom = from;
    }
    if (date !== undefined && kind !== undefined) days.push(day as ProductionDay);
  }

  if (problems.length > 0 || year === undefined) return { problems };
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const calendar: ProductionCalendarYear = { year, days };
  const country = root.attributes.get('country')?.value;
  if (country) calendar.country = country.toLowerCase();
  const published = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(root.attributes.get('date')?.value ?? '');
  if (published && isIsoDate(`${published[1]}-${published[2]}-${published[3]}`)) {
    calendar.published = `${published[1]}-${published[2]}-${published[3]}`;
  }
  return { problems, calendar };
}
