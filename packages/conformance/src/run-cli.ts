import { writeJson } from '@events-protocol/core';
import { conformanceChecks, selectChecks } from './conformance-checks.js';
import { isConformanceError } from './conformance-error.js';
import { formatConformanceTable } from './format-conformance-table.js';
import { cliUsage, parseCliArguments } from './parse-cli-arguments.js';
import { runConformance, type ConformanceOptions } from './run-conformance.js';

/** Where the command line writes, and the environment it reads (`NO_COLOR`). */
export interface CliStreams {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The `events-conformance` command: runs the checks against a URL, prints the table (or JSON) and
 * resolves to the exit code: 0 conforms, 1 a check failed or the server is unreachable, 2 usage.
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
    const report = await runConformance(options);
    if (command.json) streams.stdout.write(`${writeJson(report)}\n`);
    else {
      const color = command.color ?? (streams.stdout.isTTY === true && streams.env['NO_COLOR'] === undefined);
      streams.stdout.write(formatConformanceTable(report, { color }));
    }
    if (report.unreachable !== undefined && !command.json) {
      streams.stderr.write(`events-conformance: could not reach ${command.url}: ${report.unreachable}\n`);
    }
    return report.passed ? 0 : 1;
  } catch (error) {
    if (!isConformanceError(error)) throw error;
    streams.stderr.write(`events-conformance: ${error.message}\n`);
    return 2;
  }
}
