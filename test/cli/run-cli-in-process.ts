import { runEventsCli, type CliIo } from '@events-protocol/cli';

/** What one in-process run of the `events` command printed and how it exited. */
export interface InProcessCliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the `events` command in this process, capturing what it prints; `env` is all it sees. */
export async function runCliInProcess(argv: string[], env: Record<string, string> = {}): Promise<InProcessCliRun> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env,
  };
  const code = await runEventsCli(argv, io);
  return { code, out, err };
}
