import { writeJson } from '@events-protocol/core';
import { conformanceChecks, selectChecks } from './conformance-checks.js';
import { isConformanceError } from './conformance-error.js';
import { formatConformanceTable, TableFormat } from './format-conformance-table.js';
import { cliUsage, parseCliArguments } from './parse-cli-arguments.js';
import { runConformance, type ConformanceOptions, type ConformanceReport } from './run-conformance.js';

/** Where the command line writes, and the environment it reads (`NO_COLOR`). */
export interface CliStreams {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The `events-conformance` command: runs the checks against a URL and resolves to the exit code:
 * 0 conforms, 1 a check failed or the checks could not run (unreachable, no answer, no echo
 * handler), 2 usage. On a terminal each check's row is printed as soon as it is known; otherwise
 * the table (or, with `--json`, the report) is printed once at the end.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
 */
export async function runCli(argv: readonly string[], streams: CliStreams): Promise<number> {
  const command = parseCliArguments(argv);
  switch (command.kind) {
    case 'help':
      streams.stdout.write(cliUsage);
      return 0;
    case 'list':
      streams.stdout.write(conformanceChecks.map((check) => `${check.id}\n  ${check.rule}\n`).join(''));
      return 0;
    case 'usage-error':
      streams.stderr.write(`events-conformance: ${command.message}\n\n${cliUsage}`);
      return 2;
    case 'run':
      break;
  }
  let options: ConformanceOptions;
  try {
    options = { url: command.url, headers: command.headers };
    if (command.echoEvent !== undefined) options.echoEvent = command.echoEvent;
    if (command.echoVersion !== undefined) options.echoVersion = command.echoVersion;
    if (command.timeoutMs !== undefined) options.timeoutMs = command.timeoutMs;
    if (command.only !== undefined) options.checks = selectChecks(command.only);
    const color = command.color ?? (streams.stdout.isTTY === true && streams.env['NO_COLOR'] === undefined);
    const report =
      streams.stdout.isTTY === true && !command.json
        ? await runWithProgress(options, streams.stdout, color)
        : await runConformance(options);
    if (command.json) streams.stdout.write(`${writeJson(report)}\n`);
    else if (streams.stdout.isTTY !== true) streams.stdout.write(formatConformanceTable(report, { color }));
    return report.passed ? 0 : 1;
  } catch (error) {
    if (!isConformanceError(error)) throw error;
    streams.stderr.write(`events-conformance: ${error.message}\n`);
    return 2;
  }
}

/** On a terminal: the title at once, then each check's row as soon as it is known, then the summary. */
async function runWithProgress(
  options: ConformanceOptions,
  stdout: CliStreams['stdout'],
  color: boolean,
): Promise<ConformanceReport> {
  const checks = options.checks ?? conformanceChecks;
  const table = new TableFormat(
    checks.map((check) => check.id),
    { color },
  );
  const settings = { echoEvent: 'conformance:echo', echoVersion: 1, ...options };
  stdout.write(table.title(settings));
  const report = await runConformance({
    ...options,
    onResult: (result, progress) => {
      stdout.write(`${progress.done === 1 ? table.header() : ''}${table.row(result)}`);
    },
  });
  stdout.write(report.stopped === undefined ? table.summary(report) : table.stop(report.stopped));
  return report;
}
