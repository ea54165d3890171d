import { writeJson } from '@events-protocol/core';
import type { AttemptRecord, StoredEntry } from '@events-protocol/outbox';
import { paint, type CliIo } from '../cli-io.js';

function describeError(attempt: AttemptRecord | undefined): string {
  const error = attempt?.error;
  if (error === undefined) return '';
  return error.code === undefined ? error.message : `${error.code}: ${error.message}`;
}

/** When an entry last changed state, or is due: the column a list shows for its state. */
function when(entry: StoredEntry): string {
  const at =
    entry.state === 'undelivered'
      ? entry.failedAt
      : entry.state === 'delivered'
        ? entry.deliveredAt
        : entry.nextAttemptAt;
  return at?.toISOString() ?? '-';
}

/** Prints a page of entries (undelivered or pending) as a table, with a count. */
export function writeEntries(
  io: CliIo,
  color: boolean,
  entries: readonly StoredEntry[],
  state: 'pending' | 'undelivered',
): void {
  if (entries.length === 0) {
    io.stdout.write(`no ${state} events\n`);
    return;
  }
  const rows = entries.map((entry) => [
    entry.id,
    entry.event.name,
    entry.topic ?? '-',
    String(entry.attempts),
    entry.state === 'pending' && entry.claimed === true ? `${when(entry)} (claimed)` : when(entry),
    describeError(entry.history.at(-1)),
  ]);
  const headings = ['id', 'event', 'topic', 'attempts', state === 'undelivered' ? 'failed at' : 'due at', 'last error'];
  const widths = headings.map((heading, column) =>
    Math.max(heading.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  io.stdout.write(`${paint(color, 'bold', line(headings))}\n`);
  for (const row of rows) io.stdout.write(`${line(row)}\n`);
  io.stdout.write(`${entries.length} ${state} event${entries.length === 1 ? '' : 's'}\n`);
}

/** One attempt as a line: number, start, outcome with status and duration, error, answer excerpt. */
function attemptLine(color: boolean, attempt: AttemptRecord): string {
  const status = attempt.status === undefined ? '' : ` ${attempt.status}`;
  const outcome = paint(color, attempt.outcome === 'delivered' ? 'green' : 'red', `${attempt.outcome}${status}`);
  const error = attempt.error === undefined ? '' : `  ${paint(color, 'red', describeError(attempt))}`;
  const excerpt =
    attempt.responseExcerpt === undefined || attempt.responseExcerpt === ''
      ? ''
      : `\n      answer: ${attempt.responseExcerpt.slice(0, 200)}`;
  return `  #${attempt.attempt}  ${attempt.at}  ${outcome}  ${Math.round(attempt.durationMs)} ms${error}${excerpt}\n`;
}

/** Prints one entry with every kept attempt. */
export function writeInspected(io: CliIo, color: boolean, entry: StoredEntry): void {
  const line = (label: string, value: string) => io.stdout.write(`${paint(color, 'bold', label.padEnd(12))}${value}\n`);
  line('id', entry.id);
  line('state', entry.state === 'pending' && entry.claimed === true ? 'pending (claimed by a relay)' : entry.state);
  line('event', `${entry.event.name} v${entry.event.version} (${entry.event.id})`);
  line('topic', entry.topic ?? '-');
  line('flowId', entry.event.flowId);
  line('enqueued', entry.enqueuedAt.toISOString());
  if (entry.state === 'pending') line('due', when(entry));
  if (entry.state === 'delivered') line('delivered', when(entry));
  if (entry.state === 'undelivered') line('failed', when(entry));
  line('attributes', writeJson(entry.attributes));
  line('payload', writeJson(entry.event.payload));
  io.stdout.write(`${paint(color, 'bold', `attempts (${entry.attempts})`)}\n`);
  for (const attempt of entry.history) io.stdout.write(attemptLine(color, attempt));
}
