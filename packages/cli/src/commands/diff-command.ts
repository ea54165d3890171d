import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { readJson, writeJson } from '@events-protocol/core';
import { paint, UsageError, wantsColor, type CliIo } from '../cli-io.js';
import { contractDiff } from './contract-diff.js';
import { contractEventsOf, type ContractEvent } from './contract-events.js';
import type { ChangeSeverity } from './schema-changes.js';

export const diffUsage = `Usage: events diff <old> <new> [options]

Compares two versions of a service's events and says which changes break callers. Each side is
a file or an http(s) URL of a discovery document (GET on an events route) or of an AsyncAPI
document the server generated (<route>/asyncapi.json, events describe --asyncapi).

Breaking: a removed event or version; a payload that accepts less (a new required field, a
property removed from a closed object, a narrowed type, enum or bound); a response or error that
gives less (a removed or no longer required field, a changed type); a removed declared error.
Compatible: added events, versions, optional fields and errors; deprecations.
Anything else the comparison cannot judge (anyOf, pattern, format, ...) is listed to review.

Exit code 1 when something breaks, 0 otherwise.

Options:
  --json        print the changes as JSON
  --no-color    plain output
  -h, --help    this help
`;

async function load(source: string): Promise<Map<string, ContractEvent>> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    let response;
    try {
      response = await request(source, { method: 'GET', headersTimeout: 10_000, bodyTimeout: 10_000 });
    } catch (error) {
      throw new UsageError(`could not reach ${source}: ${(error as Error).message}`);
    }
    text = await response.body.text();
    if (response.statusCode !== 200) throw new UsageError(`${source} answered HTTP ${response.statusCode}`);
  } else {
    try {
      text = await readFile(source, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${source}: ${(error as Error).message}`);
    }
  }
  let document: unknown;
  try {
    document = readJson(text);
  } catch (error) {
    throw new UsageError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const events = contractEventsOf(document);
  if (events === undefined) throw new UsageError(`${source} is neither a discovery nor an AsyncAPI 3 document`);
  return events;
}

const labels: Record<ChangeSeverity, { text: string; color: 'red' | 'yellow' | 'green' }> = {
  breaking: { text: 'BREAKING', color: 'red' },
  review: { text: 'review', color: 'yellow' },
  compatible: { text: 'ok', color: 'green' },
};

/** `events diff`: resolves to the exit code (1 when a change breaks callers). */
export async function diffCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(diffUsage);
    return 0;
  }
  const [oldSource, newSource, extra] = positionals;
  if (oldSource === undefined || newSource === undefined || extra !== undefined)
    throw new UsageError('diff needs two documents: <old> <new>');
  const changes = contractDiff(await load(oldSource), await load(newSource));
  const breaking = changes.filter((change) => change.severity === 'breaking').length;
  if (values.json) {
    io.stdout.write(`${writeJson({ breaking: breaking > 0, changes }, 2)}\n`);
    return breaking > 0 ? 1 : 0;
  }
  const color = wantsColor(io, values['no-color'] === true ? false : values.color);
  const width = Math.max(0, ...changes.map((change) => change.event.length));
  for (const change of changes) {
    const label = labels[change.severity];
    const where = change.at === '' ? '' : `${change.at}: `;
    io.stdout.write(
      `${paint(color, label.color, label.text.padEnd(8))}  ${change.event.padEnd(width)}  ${where}${change.message}\n`,
    );
  }
  const review = changes.filter((change) => change.severity === 'review').length;
  io.stdout.write(
    `${changes.length === 0 ? 'no changes' : `${breaking} breaking, ${review} to review, ${changes.length - breaking - review} compatible`}\n`,
  );
  return breaking > 0 ? 1 : 0;
}
