import { performance } from 'node:perf_hooks';
import { FunnelRollupsService } from '../tracking/funnel-rollups.service.js';
import { RollupsService } from '../tracking/rollups.service.js';
import { cliLocale, cliText } from './cli-locale.js';
import { inApplication } from './command.js';

export interface RebuildOutput {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}


/**
 * `npm run rollups:rebuild`: builds the compliance rollups again from the clocks of the database
 * the service is configured for, beside a running service (a month of an agreement per
 * transaction), then the funnel rollups from the stage entries (one transaction). Returns the exit code: 0 once rebuilt, 1 for arguments, a bad setting or a failure.
 * Written in the terminal's language, else DEFAULT_LOCALE's (see cliLocale).
 */
export async function runRollupsRebuild(argv: string[], env: NodeJS.ProcessEnv, output: RebuildOutput): Promise<number> {
  const text = cliText(cliLocale(env));
  const fail = (message: string) => {
    output.stderr.write(`rollups:rebuild: ${message}\n`);
    return 1;
  };
  if (argv.length > 0) return fail(`${text.t('cli.rollups.unexpectedArgument', { argument: argv[0] })}\n${text.t('cli.rollups.usage')}`);
  return inApplication(
    env,
    fail,
    async (app) => {
      const started = performance.now();
      const done = await app.get(RollupsService).rebuild((progress) =>
        output.stderr.write(
          `  ${text.t('cli.rollups.progress', { agreements: progress.agreements, clocks: progress.clocks })}\n`,
        ),
      );
      const subjects = await app.get(FunnelRollupsService).rebuildAll();
      const seconds = (performance.now() - started) / 1000;
      const values = { agreements: done.agreements, clocks: done.clocks, leads: subjects, seconds: text.decimal(seconds) };
      output.stdout.write(`${text.t('cli.rollups.done', values)}\n`);
      return 0;
    },
    text,
  );
}
