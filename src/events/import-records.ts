import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { InvalidInputError } from '../common/errors.js';
import { textProblem } from '../common/hostile-input.js';
import type { ImportFormat } from './import-format.js';

/**
 * One record of an import file, at the file line it starts on: an event as POST /api/events takes
 * it, or why the line could not be read. Blank lines yield nothing.
 */
export type ImportRecord = { line: number; event: unknown } | { line: number; error: string };

const BYTE_ORDER_MARK = '\uFEFF';

/** NDJSON: one event object per line; CRLF line endings are read as well as LF. */
export async function* ndjsonRecords(input: Readable): AsyncGenerator<ImportRecord> {
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    const json = line === 1 && text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
    if (json.trim() === '') continue;
    let event: unknown;
    try {
      event = JSON.parse(json);
    } catch (error) {
      yield { line, error: `not valid JSON (${(error as Error).message})` };
      continue;
    }
    yield { line, event };
  }
}

const REQUIRED_COLUMNS = ['type', 'subject', 'occurredAt'];
const KEY_COLUMN = 'key';

interface ParsedRow {
  record: string[];
  info: { empty_lines: number };
}

/** Columns besides type, subject, occurredAt and key that a CSV header may have: each becomes an attribute. */
export const MAX_ATTRIBUTE_COLUMNS = 100;

function checkHeader(cells: string[]): string[] {
  const columns = cells.map((cell) => cell.trim());
  const attributeColumns = columns.filter((column) => column !== KEY_COLUMN && !REQUIRED_COLUMNS.includes(column)).length;
  if (attributeColumns > MAX_ATTRIBUTE_COLUMNS) {
    throw new InvalidInputError({
      header: [`the CSV header has ${attributeColumns.toLocaleString('en')} attribute columns; at most ${MAX_ATTRIBUTE_COLUMNS} are read (besides ${[...REQUIRED_COLUMNS, KEY_COLUMN].join(', ')})`],
    });
  }
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const column of columns) {
    if (column !== '' && seen.has(column)) repeated.add(column);
    seen.add(column);
  }
  const unusable = columns.flatMap((column) => {
    const problem = column === '__proto__' ? 'is not accepted as a column name' : textProblem(column);
    return problem ? [`the CSV header column ${JSON.stringify(column)} ${problem}`] : [];
  });
  const problems = [
    ...missing.map((column) => `the CSV header has no "${column}" column (required: ${REQUIRED_COLUMNS.join(', ')}; optional: ${KEY_COLUMN})`),
    ...[...repeated].map((column) => `the CSV header names "${column}" more than once`),
    ...unusable,
  ];
  if (problems.length > 0) throw new InvalidInputError({ header: problems });
  return columns;
}

/** A row as an event: type, subject, occurredAt and key from their columns, every other column an attribute. */
function eventOfRow(columns: string[], cells: string[]): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  const attributes: Record<string, string> = {};
  columns.forEach((column, index) => {
    const cell = cells[index];
    if (REQUIRED_COLUMNS.includes(column)) event[column] = cell;
    else if (cell === '') return; // an empty cell says nothing
    else if (column === KEY_COLUMN) event.key = cell;
    else attributes[column] = cell;
  });
  return { ...event, attributes };
}

const newlinesIn = (cells: string[]) => cells.reduce((count, cell) => count + cell.split('\n').length - 1, 0);

/**
 * CSV with a header row. csv-parse's own line count goes wrong on quoted CRLF newlines, so lines
 * are counted here: a row starts after the previous one and the blank lines skipped since, and
 * spans as many lines as its quoted values hold newlines.
 */
export async function* csvRecords(input: Readable): AsyncGenerator<ImportRecord> {
  const unreadable: CsvError[] = [];
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    // Spreadsheets write stray quotes and short rows; a stray quote is kept as text and a row's
    // length is checked below, so the one error left is a quote never closed, found at the end.
    relax_quotes: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error) unreadable.push(error);
      return undefined;
    },
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);

  let columns: string[] | undefined;
  let lastLine = 0;
  let blankLinesBefore = 0;
  const lineAfter = (blankLines: number) => lastLine + 1 + (blankLines - blankLinesBefore);
  for await (const { record, info } of parser as AsyncIterable<ParsedRow>) {
    const line = lineAfter(info.empty_lines);
    lastLine = line + newlinesIn(record);
    blankLinesBefore = info.empty_lines;
    if (record.every((cell) => cell.trim() === '')) continue;
    if (columns === undefined) {
      columns = checkHeader(record);
    } else if (record.length !== columns.length) {
      yield { line, error: `has ${record.length} values where the header has ${columns.length} columns` };
    } else {
      yield { line, event: eventOfRow(columns, record) };
    }
  }
  if (columns === undefined) {
    throw new InvalidInputError({ header: [`the CSV file has no header row (required columns: ${REQUIRED_COLUMNS.join(', ')})`] });
  }
  for (const error of unreadable) {
    const reason = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted value is never closed: the rest of the file was read into it' : error.message;
    yield { line: lineAfter(Number(error.empty_lines)), error: reason };
  }
}

export function importRecords(input: Readable, format: ImportFormat): AsyncGenerator<ImportRecord> {
  return format === 'csv' ? csvRecords(input) : ndjsonRecords(input);
}
