/** Where a command writes, and the environment it reads (`NO_COLOR`). */
export interface CliIo {
  /** Where results go; `isTTY` decides whether to color them. */
  readonly stdout: {
    /** Writes text as it is, newlines included. */
    write(text: string): unknown;
    readonly isTTY?: boolean;
  };
  /** Where errors and hints go. */
  readonly stderr: {
    /** Writes text as it is, newlines included. */
    write(text: string): unknown;
  };
  /** The environment: `NO_COLOR`, `EVENTS_OUTBOX_STORE`. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A command's mistake in how it was called: printed with its usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Whether to color output: `--color`/`--no-color` win, then `NO_COLOR`, then whether stdout is a terminal. */
export function wantsColor(io: CliIo, flag: boolean | undefined): boolean {
  return flag ?? (io.stdout.isTTY === true && io.env['NO_COLOR'] === undefined);
}

const codes = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const;

/** Wraps text in an ANSI color when `enabled`. */
export function paint(enabled: boolean, color: keyof typeof codes, text: string): string {
  return enabled ? `\u001b[${codes[color]}m${text}\u001b[0m` : text;
}
