import { performance } from 'node:perf_hooks';
import { FunnelRollupsService } from '../tracking/funnel-rollups.service.js';
import { RollupsService } from '../tracking/rollups.service.js';
import { inApplication } from './command.js';

export interface RebuildOutput {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const USAGE = 'usage: npm run rollups:rebuild';
const count = (value: number) => value.toLocaleString('en');

/**
 * `npm run rollups:rebuild`: builds the compliance rollups again from the clocks of the database
 * the service is configured for, beside a running service (a month of an agreement per
 * transaction), then the funnel rollups from the stage entries (one transaction). Returns the exit code: 0 once rebuilt, 1 for arguments, a bad setting or a failure.
 */
export async function runRollupsRebuild(argv: string[], env: NodeJS.ProcessEnv, output: RebuildOutput): Promise<number> {
  const fail = (message: string) => {
    output.stderr.write(`rollups:rebuild: ${message}\n`);
    return 1;
  };
  if (argv.length > 0) return fail(`unexpected argument ${argv[0]}\n${USAGE}`);
  return inApplication(env, fail, async (app) => {
    const started = performance.now();
    const done = await app.get(RollupsService).rebuild((progress) =>
      output.stderr.write(`  ${count(progress.agreements)} agreement(s), ${count(progress.clocks)} clocks read\n`),
    );
    const subjects = await app.get(FunnelRollupsService).rebuildAll();
    const seconds = (performance.now() - started) / 1000;
    output.stdout.write(
      `rollups rebuilt: ${count(done.agreements)} agreement(s), ${count(done.clocks)} clocks; the funnel's from ${count(subjects)} lead(s); in ${seconds.toFixed(1)} s\n`,
    );
    return 0;
  });
}
