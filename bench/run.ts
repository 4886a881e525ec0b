/**
 * Runs every `*.bench.js` file next to this one, in name order, by calling its exported `run()`.
 * Build and run: `tsc -p tsconfig.bench.json && node dist-bench/bench/run.js [name-filter ...]`.
 * A benchmark signals failure (e.g. answers that differ from its baseline) by throwing; the runner
 * still runs the others and exits non-zero at the end.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run?: () => unknown;
}

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((name) => name.endsWith('.bench.js'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error(`no *.bench.js file in ${here}${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  process.exitCode = 1;
}

const failed: string[] = [];
for (const file of files) {
  console.log(`\n=== ${file.replace(/\.js$/, '')} ===\n`);
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
    if (typeof mod.run !== 'function') throw new Error('exports no run() function');
    await mod.run();
  } catch (error) {
    failed.push(file);
    console.error(`\n${file} FAILED: ${error instanceof Error ? error.message : String(error)}`);
  }
}

if (files.length > 0) {
  console.log(`\n${files.length - failed.length} of ${files.length} benchmark(s) passed${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
}
if (failed.length > 0) process.exitCode = 1;
