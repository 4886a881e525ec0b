import 'reflect-metadata';
import { runRollupsRebuild } from './run-rollups-rebuild.js';

process.exitCode = await runRollupsRebuild(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr });
