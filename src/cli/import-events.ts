import 'reflect-metadata';
import { runImport } from './run-import.js';

process.env.SWEEP_INTERVAL_SECONDS ??= '0';
process.exitCode = await runImport(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr });
