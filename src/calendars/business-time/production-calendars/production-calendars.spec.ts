import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseXmlCalendar } from '../xml-calendar.js';
import { PRODUCTION_CALENDAR_FILES } from './embedded.js';

/** The reviewed files are the source; embedded.ts is what the compiled service carries. */
const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((country) => readdirSync(join(here, country.name)).map((name) => `${country.name}/${name}`))
  .sort();

describe('the shipped production calendars', () => {
  it('are embedded exactly as the reviewed files say (else run embed.mjs)', () => {
    expect(Object.keys(PRODUCTION_CALENDAR_FILES).sort()).toEqual(files);
    for (const file of files) expect([file, PRODUCTION_CALENDAR_FILES[file]]).toEqual([file, readFileSync(join(here, file), 'utf8')]);
  });

  it.each(files)('%s is a well-formed xmlcalendar file of its country and year, naming its decree', (file) => {
    const [country, name] = file.split('/');
    const text = readFileSync(join(here, file), 'utf8');
    const { problems, calendar } = parseXmlCalendar(text);
    expect(problems).toEqual([]);
    expect(calendar).toMatchObject({ year: Number(name.slice(0, 4)), country });
    expect(text).toMatch(/Source: .*(Постановление|Указ|decree|Decree)/);
  });
});
