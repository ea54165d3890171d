import { runCli as runConformanceCli } from '@events-protocol/conformance';
import { UsageError, type CliIo } from './cli-io.js';
import { cliVersion } from './cli-version.js';
import { describeCommand, describeUsage } from './commands/describe-command.js';
import { diffCommand, diffUsage } from './commands/diff-command.js';
import { outboxCommand, outboxUsage } from './commands/outbox-command.js';
import { sendCommand, sendUsage } from './commands/send-command.js';
import { serveCommand, serveUsage } from './commands/serve-command.js';
import { topicsCommand, topicsUsage } from './commands/topics-command.js';

/** The top-level help of the `events` command. */
export const eventsUsage = `Usage: events <command> [options]

Commands:
  send <url> <name>     send one event and print the response event
  describe <url>        list the events a server handles (its discovery route), or print its AsyncAPI/OpenAPI document
  diff <old> <new>      compare two versions of a service's events and say which changes break callers
  serve <module>        start a server from a module exporting a registry
  conformance <url>     check a server against the events protocol
  outbox <command>      list, inspect, redeliver, delete or purge the events of a durable outbox
  topics apply <file>   validate a topics configuration and create what its targets need

Options:
  --version             print the version of the events command
  -h, --help            this help

Run \`events <command> --help\` for a command's options.
`;

const commands: Record<string, { run: (argv: readonly string[], io: CliIo) => Promise<number>; usage: string }> = {
  send: { run: sendCommand, usage: sendUsage },
  describe: { run: describeCommand, usage: describeUsage },
  diff: { run: diffCommand, usage: diffUsage },
  serve: { run: (argv, io) => serveCommand(argv, io), usage: serveUsage },
  outbox: { run: outboxCommand, usage: outboxUsage },
  topics: { run: topicsCommand, usage: topicsUsage },
};

/**
 * The `events` command line: resolves to its exit code (0 success, 1 failure, 2 usage error).
 *
 * @example
 * process.exitCode = await runEventsCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
 */
export async function runEventsCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(eventsUsage);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${cliVersion()}\n`);
    return 0;
  }
  if (name === 'conformance') return runConformanceCli(rest, io);
  const command = commands[name];
  if (command === undefined) {
    io.stderr.write(`events: unknown command '${name}'\n\n${eventsUsage}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
    ) {
      io.stderr.write(`events ${name}: ${(error as Error).message}\n\n${command.usage}`);
      return 2;
    }
    throw error;
  }
}
