import { writeJson } from '@events-protocol/core';
import type { UndeliveredEvent } from '@events-protocol/outbox';
import { paint, type CliIo } from '../cli-io.js';

function lastError(event: UndeliveredEvent): string {
  const error = event.errors.at(-1);
  if (error === undefined) return '';
  return error.code === undefined ? error.message : `${error.code}: ${error.message}`;
}

/** Prints a page of undelivered events as a table, with a count. */
export function writeUndelivered(io: CliIo, color: boolean, events: readonly UndeliveredEvent[]): void {
  if (events.length === 0) {
    io.stdout.write('no undelivered events\n');
    return;
  }
  const rows = events.map((event) => [
    event.id,
    event.event.name,
    event.topic ?? '-',
    String(event.attempts),
    event.failedAt.toISOString(),
    lastError(event),
  ]);
  const headings = ['id', 'event', 'topic', 'attempts', 'failed at', 'last error'];
  const widths = headings.map((heading, column) =>
    Math.max(heading.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  io.stdout.write(`${paint(color, 'bold', line(headings))}\n`);
  for (const row of rows) io.stdout.write(`${line(row)}\n`);
  io.stdout.write(`${events.length} undelivered event${events.length === 1 ? '' : 's'}\n`);
}

/** Prints one undelivered event with every attempt's error. */
export function writeInspected(io: CliIo, color: boolean, event: UndeliveredEvent): void {
  const line = (label: string, value: string) => io.stdout.write(`${paint(color, 'bold', label.padEnd(12))}${value}\n`);
  line('id', event.id);
  line('event', `${event.event.name} v${event.event.version}`);
  line('topic', event.topic ?? '-');
  line('flowId', event.event.flowId);
  line('enqueued', event.enqueuedAt.toISOString());
  line('failed', event.failedAt.toISOString());
  line('attributes', writeJson(event.attributes));
  line('payload', writeJson(event.event.payload));
  io.stdout.write(`${paint(color, 'bold', `attempts (${event.attempts})`)}\n`);
  for (const error of event.errors) {
    io.stdout.write(
      `  #${error.attempt}  ${error.at}  ${paint(color, 'red', error.code === undefined ? error.message : `${error.code}: ${error.message}`)}\n`,
    );
  }
}
