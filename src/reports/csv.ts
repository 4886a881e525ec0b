export type CsvValue = string | number | boolean | null;

/**
 * Characters that make a spreadsheet read a cell as a formula (or that some strip and then read
 * one): such a cell is prefixed with a single quote, as OWASP advises against CSV injection.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralised when it could run as a formula, quoted when RFC 4180 requires it. */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180: CRLF line ends, a header row. Preceded by a byte order mark, without which Excel
 * reads UTF-8 ("Maëlle") as Windows-1252.
 */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
