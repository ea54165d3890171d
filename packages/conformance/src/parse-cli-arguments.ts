import { parseArgs } from 'node:util';

/** What the command line asks for. */
export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'list' }
  | {
      readonly kind: 'run';
      readonly url: string;
      readonly echoEvent: string | undefined;
      readonly echoVersion: number | undefined;
      readonly timeoutMs: number | undefined;
      readonly headers: Record<string, string>;
      readonly only: readonly string[] | undefined;
      readonly json: boolean;
      /** `false` with `--no-color`; otherwise the terminal decides. */
      readonly color: boolean | undefined;
    }
  | { readonly kind: 'usage-error'; readonly message: string };

/** The `--help` text. */
export const cliUsage = `Usage: events-conformance <url> [options]

Runs the events protocol's conformance checks against a server's events route and prints a
pass/fail table. The server needs one handler that answers its payload unchanged.

Options:
  -e, --event <name>     the echo handler's event name (default: conformance:echo)
  -v, --version <n>      the echo handler's version (default: 1)
  -t, --timeout <ms>     how long each request may wait for its answer (default: 5000)
  -H, --header <k: v>    a header sent with every request; repeatable
      --only <ids>       run only these checks, comma-separated (see --list)
      --list             list the checks and their rules
      --json             print the report as JSON
      --no-color         no ANSI colours (also when NO_COLOR is set)
  -h, --help             show this help

Exit codes: 0 every check passed (warnings allowed), 1 a check failed or the server could not be
reached, 2 a usage error.
`;

/** Reads the command line (without `node` and the script), never throwing. */
export function parseCliArguments(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        event: { type: 'string', short: 'e' },
        version: { type: 'string', short: 'v' },
        timeout: { type: 'string', short: 't' },
        header: { type: 'string', short: 'H', multiple: true },
        only: { type: 'string' },
        list: { type: 'boolean' },
        json: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return { kind: 'usage-error', message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  if (values.list === true) return { kind: 'list' };
  const [url, ...extra] = positionals;
  if (url === undefined) return { kind: 'usage-error', message: 'the server URL is missing' };
  if (extra.length > 0) return { kind: 'usage-error', message: `unexpected arguments: ${extra.join(' ')}` };
  const echoVersion = values.version === undefined ? undefined : Number(values.version);
  if (echoVersion !== undefined && !(Number.isSafeInteger(echoVersion) && echoVersion >= 1)) {
    return { kind: 'usage-error', message: `--version must be an integer ≥ 1, got ${values.version}` };
  }
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    return { kind: 'usage-error', message: `--timeout must be a positive number of ms, got ${values.timeout}` };
  }
  const headers: Record<string, string> = {};
  for (const header of values.header ?? []) {
    const colon = header.indexOf(':');
    if (colon <= 0) return { kind: 'usage-error', message: `--header must look like "name: value", got ${header}` };
    headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
  }
  if (values.event === '') return { kind: 'usage-error', message: '--event must not be empty' };
  return {
    kind: 'run',
    url,
    echoEvent: values.event,
    echoVersion,
    timeoutMs,
    headers,
    only: values.only
      ?.split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
    json: values.json === true,
    color: values['no-color'] === true ? false : undefined,
  };
}
