import type { INestApplicationContext } from '@nestjs/common';
import cliProgress from 'cli-progress';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { cliLocale, cliText, type CliText } from './cli-locale.js';
import { inApplication } from './command.js';
import { EventImporter, type ImportProgress, type ImportSummary } from '../events/event-importer.js';
import { IMPORT_FORMATS, importFormatOfFileName, isImportFormat, type ImportFormat } from '../events/import-format.js';

export interface ImportOutput {
  stdout: NodeJS.WritableStream;
  /** Messages and, on a terminal, the progress bar. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

const usage = (text: CliText) => text.t('cli.import.usage', { formats: IMPORT_FORMATS.join('|') });
/** Rejections printed at the end; the rest are counted. */
const PRINTED_ERRORS = 20;

class UsageError extends Error {}

async function readArguments(argv: string[], workingDirectory: string, text: CliText): Promise<{ path: string; format: ImportFormat; size: number }> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { format: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    // Node's own wording of a bad option ("Unknown option '--x'"), then the usage in the reader's language.
    throw new UsageError(`${(error as Error).message}\n${usage(text)}`);
  }
  if (parsed.positionals.length !== 1) throw new UsageError(usage(text));
  const path = resolve(workingDirectory, parsed.positionals[0]);
  const format = parsed.values.format ?? importFormatOfFileName(path);
  if (format === undefined) throw new UsageError(text.t('cli.import.formatUnknownFromName', { file: parsed.positionals[0] }));
  if (!isImportFormat(format)) throw new UsageError(text.t('cli.import.formatUnknown', { format }));
  const file = await stat(path).catch(() => undefined);
  if (!file?.isFile()) throw new UsageError(text.t('cli.import.noSuchFile', { file: parsed.positionals[0] }));
  return { path, format, size: file.size };
}

function bytes(value: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  const power = Math.min(units.length - 1, Math.floor(Math.log10(Math.max(value, 1)) / 3));
  return `${(value / 1000 ** power).toFixed(power === 0 ? 0 : 1)} ${units[power]}`;
}

/**
 * The summary as printed: counts, then the first rejections with their line numbers. Labels are
 * padded to the longest in the language, so the counts line up in any of them. The reasons are
 * the importer's own (English, as the API words them).
 */
function describeSummary(name: string, summary: ImportSummary, text: CliText): string {
  const { count } = text;
  const width = count(Math.max(summary.accepted, summary.duplicates, summary.rejected)).length;
  const labels = {
    accepted: text.t('cli.import.accepted'),
    duplicates: text.t('cli.import.duplicates'),
    rejected: text.t('cli.import.rejected'),
    unmatched: text.t('cli.import.unmatched'),
  };
  const labelWidth = Math.max(...Object.values(labels).map((label) => label.length)) + 1;
  const row = (label: string, value: number) => `  ${label.padEnd(labelWidth)}${count(value).padStart(width)}`;
  const printed = summary.errors.slice(0, PRINTED_ERRORS);
  const unprinted = summary.errors.length - printed.length + summary.moreErrors;
  return [
    text.t('cli.import.linesRead', { file: name, lines: summary.lines }),
    row(labels.accepted, summary.accepted),
    row(labels.duplicates, summary.duplicates),
    row(labels.rejected, summary.rejected),
    // Accepted, yet measured by no agreement in force: silence that must not read as compliance.
    row(labels.unmatched, summary.unmatched),
    ...printed.map((error) => `  ${text.t('cli.import.rejectedLine', { line: String(error.line), reason: error.reason })}`),
    ...(unprinted > 0 ? [`  ${text.t('cli.import.moreRejected', { more: unprinted })}`] : []),
  ].join('\n');
}

/** A bar of the bytes read against the file's size, with lines and events per second; only on a terminal. */
function progressBar(output: ImportOutput, size: number, text: CliText): { update(progress: ImportProgress): void; stop(): void } | undefined {
  if (!output.stderr.isTTY) return undefined;
  const { count } = text;
  // cli-progress fills its own {tokens}: the message gives them back as they are, in the language's order.
  const tokens = Object.fromEntries(['bar', 'percentage', 'read', 'size', 'lines', 'rate'].map((token) => [token, `{${token}}`]));
  const bar = new cliProgress.SingleBar(
    { stream: output.stderr, format: text.t('cli.import.progress', tokens), hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  bar.start(size, 0, { read: bytes(0), size: bytes(size), lines: 0, rate: 0 });
  return {
    update: (progress) => {
      const seconds = (performance.now() - started) / 1000;
      bar.update(progress.bytes, {
        read: bytes(progress.bytes),
        lines: count(progress.lines),
        rate: count(seconds > 0 ? Math.round(progress.events / seconds) : 0),
      });
    },
    stop: () => bar.stop(),
  };
}

async function importFile(app: INestApplicationContext, path: string, format: ImportFormat, size: number, output: ImportOutput, text: CliText): Promise<ImportSummary> {
  const file = createReadStream(path);
  const bar = progressBar(output, size, text);
  try {
    return await app.get(EventImporter).import(file, format, null, bar?.update);
  } finally {
    bar?.stop();
    file.destroy();
  }
}

/**
 * `npm run import -- FILE [--format csv|ndjson]`: imports a file into the database the service
 * is configured for. Returns the exit code: 0 once the file was read, even with rejected lines;
 * 1 for a wrong command line, a missing file, a bad setting or an import that could not run.
 * Written in the terminal's language, else DEFAULT_LOCALE's (see cliLocale).
 */
export async function runImport(argv: string[], env: NodeJS.ProcessEnv, output: ImportOutput): Promise<number> {
  const text = cliText(cliLocale(env));
  const fail = (message: string) => {
    output.stderr.write(`import: ${message}\n`);
    return 1;
  };
  let file;
  try {
    file = await readArguments(argv, env.INIT_CWD ?? process.cwd(), text); // npm runs scripts in the project folder
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    throw error;
  }
  return inApplication(
    env,
    fail,
    async (app) => {
      const summary = await importFile(app, file.path, file.format, file.size, output, text);
      output.stdout.write(`${describeSummary(basename(file.path), summary, text)}\n`);
      return 0;
    },
    text,
  );
}
