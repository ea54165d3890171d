import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const workspace = fileURLToPath(new URL('../..', import.meta.url));

/** A consumer child process and the event ids it printed as handled. */
export interface ConsumerChild {
  readonly process: ChildProcess;
  /** Resolves once it consumes. */
  readonly ready: Promise<void>;
  /** Resolves when it has exited, by any means. */
  readonly exited: Promise<void>;
}

/**
 * Starts `children/consumer.ts` on the TypeScript sources (tsx); every `handled <id>` line it
 * prints goes to `onHandled`.
 */
export function startConsumerChild(env: Record<string, string>, onHandled: (id: string) => void): ConsumerChild {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@events-protocol/source', 'test/streams/children/consumer.ts'],
    { cwd: workspace, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  let pending = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    child.once('exit', () => reject(new Error(`consumer exited before it was ready:\n${errors}`)));
  });
  ready.catch(() => undefined);
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'consumer ready') markReady();
      else if (line.startsWith('handled ')) onHandled(line.slice('handled '.length));
    }
  });
  // 'close', not 'exit': every line the child printed before it died has been read by then.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return { process: child, ready, exited };
}

/** Sends `signal` and waits for the exit. */
export async function stopChild(child: ConsumerChild, signal: NodeJS.Signals): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill(signal);
  await child.exited;
}
