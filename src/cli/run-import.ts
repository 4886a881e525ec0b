import type { INestApplicationContext } from '@nestjs/common';
import cliProgress from 'cli-progress';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { inApplication } from './command.js';
import { EventImporter, type ImportProgress, type ImportSummary } from '../events/event-importer.js';
import { IMPORT_FORMATS, importFormatOfFileName, isImportFormat, type ImportFormat } from '../events/import-format.js';

export interface ImportOutput {
  stdout: NodeJS.WritableStream;
  /** Messages and, on a terminal, the progress bar. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

const USAGE = `usage: npm run import -- FILE [--format ${IMPORT_FORMATS.join('|')}]`;
/** Rejections printed at the end; the rest are counted. */
const PRINTED_ERRORS = 20;

class UsageError extends Error {}

async function readArguments(argv: string[], workingDirectory: string): Promise<{ path: string; format: ImportFormat; size: number }> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { format: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  if (parsed.positionals.length !== 1) throw new UsageError(USAGE);
  const path = resolve(workingDirectory, parsed.positionals[0]);
  const format = parsed.values.format ?? importFormatOfFileName(path);
  if (format === undefined) throw new UsageError(`cannot tell the format of ${parsed.positionals[0]} from its name: add --format csv or --format ndjson`);
  if (!isImportFormat(format)) throw new UsageError(`unknown format "${format}": use --format csv or --format ndjson`);
  const file = await stat(path).catch(() => undefined);
  if (!file?.isFile()) throw new UsageError(`no such file: ${parsed.positionals[0]}`);
  return { path, format, size: file.size };
}

const count = (value: number) => value.toLocaleString('en');

function bytes(value: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  const power = Math.min(units.length - 1, Math.floor(Math.log10(Math.max(value, 1)) / 3));
  return `${(value / 1000 ** power).toFixed(power === 0 ? 0 : 1)} ${units[power]}`;
}

/** The summary as printed: counts, then the first rejections with their line numbers. */
function describeSummary(name: string, summary: ImportSummary): string {
  const width = count(Math.max(summary.accepted, summary.duplicates, summary.rejected)).length;
  const row = (label: string, value: number) => `  ${label.padEnd(11)}${count(value).padStart(width)}`;
  const printed = summary.errors.slice(0, PRINTED_ERRORS);
  const unprinted = summary.errors.length - printed.length + summary.moreErrors;
  return [
    `${name}: ${count(summary.lines)} lines read`,
    row('accepted', summary.accepted),
    row('duplicates', summary.duplicates),
    row('rejected', summary.rejected),
    // Accepted, yet measured by no agreement in force: silence that must not read as compliance.
    row('unmatched', summary.unmatched),
    ...printed.map((error) => `  line ${error.line}: ${error.reason}`),
    ...(unprinted > 0 ? [`  … and ${count(unprinted)} more rejected`] : []),
  ].join('\n');
}

/** A bar of the bytes read against the file's size, with lines and events per second; only on a terminal. */
function progressBar(output: ImportOutput, size: number): { update(progress: ImportProgress): void; stop(): void } | undefined {
  if (!output.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar(
    { stream: output.stderr, format: '{bar} {percentage}% | {read} of {size} | {lines} lines | {rate} events/s', hideCursor: true },
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

async function importFile(app: INestApplicationContext, path: string, format: ImportFormat, size: number, output: ImportOutput): Promise<ImportSummary> {
  const file = createReadStream(path);
  const bar = progressBar(output, size);
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
 */
export async function runImport(argv: string[], env: NodeJS.ProcessEnv, output: ImportOutput): Promise<number> {
  const fail = (message: string) => {
    output.stderr.write(`import: ${message}\n`);
    return 1;
  };
  let file;
  try {
    file = await readArguments(argv, env.INIT_CWD ?? process.cwd()); // npm runs scripts in the project folder
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    throw error;
  }
  return inApplication(env, fail, async (app) => {
    const summary = await importFile(app, file.path, file.format, file.size, output);
    output.stdout.write(`${describeSummary(basename(file.path), summary)}\n`);
    return 0;
  });
}
