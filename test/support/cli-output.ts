import { Writable } from 'node:stream';

/** stdout and stderr of a command run in a test, as text; not a terminal, so no progress bar. */
export function captureOutput(): { stdout: Writable; stderr: Writable; text: { stdout: string; stderr: string } } {
  const text = { stdout: '', stderr: '' };
  const sink = (name: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text[name] += chunk.toString();
        done();
      },
    });
  return { stdout: sink('stdout'), stderr: sink('stderr'), text };
}
