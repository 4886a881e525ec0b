/**
 * A benchmark's server in a process of its own (clients in the benchmark's process would share its
 * event loop): forks a compiled script of bench/support, sends it its task, and talks with it one
 * question at a time over the IPC channel. The script answers the task with its first message
 * (e.g. `listening`, or `error`), answers each request with one message, and exits on `stop`.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildServer<Request, Message> {
  /** What the script answered to its task. */
  first: Message;
  /** Sends a request and waits for the script's one answer to it. */
  ask(request: Request): Promise<Message>;
  /** Sends `{ kind: 'stop' }` (when still connected) and waits for the process to exit. */
  stop(): Promise<void>;
}

export async function startChild<Task, Request, Message>(
  script: URL,
  task: Task,
  options: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<ChildServer<Request, Message>> {
  const child = fork(fileURLToPath(script), [], { stdio: 'inherit', execArgv: options.execArgv ?? process.execArgv, env: options.env ?? process.env });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const next = () =>
    new Promise<Message>((resolve, reject) => {
      // Each question's listeners go with its answer: left behind, they piled up on the child (Node warned past ten).
      const onError = (error: Error) => {
        child.off('message', onMessage);
        reject(error);
      };
      const onMessage = (message: unknown) => {
        child.off('error', onError);
        resolve(message as Message);
      };
      child.once('message', onMessage);
      child.once('error', onError);
    });
  const answered = next();
  child.send(task as object);
  return {
    first: await answered,
    ask: (request) => {
      const answer = next();
      child.send(request as object);
      return answer;
    },
    stop: async () => {
      // A script that failed to start may have closed its channel already.
      if (child.connected) child.send({ kind: 'stop' });
      await exited;
    },
  };
}
