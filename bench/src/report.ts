/** One Node.js version's section of RESULTS.md, and its bar chart (SVG), from what its run measured. */
import type { ScenarioResult, VersionRun } from './measure.js';
import type { MemoryResult } from './memory-bench.js';
import { ratio, targetsMarkdown } from './report-targets.js';
import { typeCheckMarkdown } from './type-check-report.js';

const baselineOf: Record<string, string> = {
  'raw-node': 'raw-node',
  'events-node': 'raw-node',
  'bare-express': 'raw-node',
  'events-express': 'bare-express',
  'fastify-zod': 'raw-node',
  'events-fastify': 'fastify-zod',
  'hono-node': 'raw-node',
  'events-fetch-node': 'hono-node',
  // Bun against Node's raw baseline: how far the runtime moves the same work.
  'hono-bun': 'raw-node',
  'events-fetch-bun': 'hono-bun',
  trpc: 'raw-node',
  'undici-request': 'undici-request',
  'send-event': 'undici-request',
  fetch: 'undici-request',
  'handler-direct': 'handler-direct',
  'process-event': 'handler-direct',
  bullmq: 'bullmq',
  'redis-relay': 'bullmq',
  'webhooks-redis': 'bullmq',
  'pg-boss': 'pg-boss',
  'postgres-relay': 'pg-boss',
  'webhooks-postgres': 'pg-boss',
  'sqlite-relay': 'sqlite-relay',
  'redis-stream-publish': 'redis-stream-publish',
  'jetstream-publish': 'redis-stream-publish',
  'redis-stream-consume': 'redis-stream-consume',
  'jetstream-consume': 'redis-stream-consume',
  'json-parse': 'json-parse',
  'read-json-own-parser': 'json-parse',
  'read-json-source-text': 'json-parse',
  'console-list-baseline': 'console-list-baseline',
  'console-first-page': 'console-list-baseline',
  'console-overview': 'console-list-baseline',
};

/** The scenarios that are not ours: drawn grey. */
const baselineKeys = new Set([
  'raw-node',
  'bare-express',
  'fastify-zod',
  'hono-node',
  'hono-bun',
  'trpc',
  'undici-request',
  'fetch',
  'handler-direct',
  'bullmq',
  'pg-boss',
  'redis-stream-publish',
  'redis-stream-consume',
  'json-parse',
  'console-list-baseline',
]);

function format(value: number | undefined, digits = 1): string {
  return value === undefined
    ? '–'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** The memory table: each server's figures next to raw node:http's. */
function memoryMarkdown(memory: readonly MemoryResult[], heading: string): string[] {
  if (memory.length === 0) return [];
  const base = memory.find((row) => row.key === 'raw-node');
  const times = (value: number, baseline: number | undefined) =>
    baseline === undefined || baseline <= 0 ? '–' : `${format(value / baseline, 2)}×`;
  const lines = [
    `${heading} Memory (${memory[0]?.connections ?? 0} keep-alive connections; heap after a full collection)`,
    '',
    '| server | RSS MB per 1,000 idle connections | × raw | heap bytes per idle connection | × raw | heap bytes per event in flight | × raw |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of memory) {
    lines.push(
      `| ${row.label} | ${format(row.rssMbPerThousandConnections, 2)} | ${times(row.rssMbPerThousandConnections, base?.rssMbPerThousandConnections)} | ${format(row.heapBytesPerConnection, 0)} | ${times(row.heapBytesPerConnection, base?.heapBytesPerConnection)} | ${format(row.heapBytesPerInFlightEvent, 0)} | ${times(row.heapBytesPerInFlightEvent, base?.heapBytesPerInFlightEvent)} |`,
    );
  }
  lines.push('');
  return lines;
}

/** The throughput groups of a section: title, unit. */
const groupTables: [ScenarioResult['group'], string, string][] = [
  ['server', 'Servers (POST /events, ~430-byte event, 50 connections)', 'req/s'],
  ['client', 'Clients (against the raw node:http server, 50 calls in flight)', 'calls/s'],
  ['in-process', 'In-process (one core, no sockets)', 'events/s'],
  [
    'delivery',
    'Durable delivery (enqueue → delivered to a local receiver; p50/p99: enqueue → first attempt; same redis-server and PostgreSQL, fsync on, concurrency 10)',
    'events/s',
  ],
  ['streams', 'JetStream against Redis Streams (one run, same event, same concurrency)', 'events/s'],
  [
    'console',
    'Operator console (first page of 10,000 undelivered events on SQLite, one request at a time)',
    'requests/s',
  ],
];

function groupMarkdown(run: VersionRun, group: ScenarioResult['group'], title: string, unit: string, heading: string) {
  const rows = run.results.filter((result) => result.group === group);
  if (rows.length === 0) return [];
  const lines = [`${heading} ${title}`, ''];
  if (group === 'streams' && run.streamsSetup !== undefined) lines.push(`${run.streamsSetup}.`, '');
  lines.push(
    `| scenario | ${unit} (median) | × baseline | p50 ms | p99 ms | peak RSS MB | errors | rounds |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const row of rows) {
    const base = baselineOf[row.key] ?? row.key;
    lines.push(
      `| ${row.label} | ${format(row.throughput, 0)} | ${format(ratio(run.results, row.key, base), 2)} × ${base} | ${format(row.p50Ms, 2)} | ${format(row.p99Ms, 2)} | ${format(row.peakRssMb)} | ${row.errors} | ${row.rounds.map(Math.round).join(', ')} |`,
    );
  }
  lines.push('');
  return lines;
}

/** How a section was made, for its heading and first lines. */
export interface SectionContext {
  /** The command that measured it, e.g. `npx --yes pnpm@10 bench --node=22,24`. */
  command: string;
  /** The chart's file name, beside the report. */
  chart: string;
}

function typeCheckNote(run: VersionRun): string[] {
  if (run.typeCheck === undefined) return [];
  const on = run.typeCheckMeasuredOn ?? run.nodeVersion;
  return [
    `The type-check cost is measured once per run of the command, on the first Node.js version it runs (here ${on}), and shown in each of its sections: its counts (types, memory) come from TypeScript, not from the Node.js that runs tsc.`,
    '',
  ];
}

/** One Node.js version's section of RESULTS.md: how it was run, every table, the targets. */
export function sectionMarkdown(run: VersionRun, context: SectionContext): string {
  const heading = '###';
  const minutes = Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 6000) / 10;
  const lines = [
    `## Node ${run.nodeVersion}`,
    '',
    `Measured ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC (${minutes} min) by \`${context.command}\` on Node ${run.nodeVersion}, ${run.machine}.`,
    run.settings,
    '',
  ];
  for (const failure of run.failures)
    lines.push(`**The ${failure.group} group failed in this run:** ${failure.message}`, '');
  for (const [group, title, unit] of groupTables) lines.push(...groupMarkdown(run, group, title, unit, heading));
  lines.push(...memoryMarkdown(run.memory, heading));
  lines.push(...typeCheckMarkdown(run.typeCheck).map((line) => line.replace(/^## /, `${heading} `)));
  lines.push(...typeCheckNote(run));
  const targetTable = targetsMarkdown(run, heading);
  lines.push(...targetTable.lines);
  if (targetTable.missed) {
    lines.push(
      '',
      'Where a target is not met, [PROFILE.md](./PROFILE.md) shows where the time goes and what was tried.',
    );
  }
  lines.push('', `![throughput on Node ${run.nodeVersion}](./${context.chart})`, '');
  return lines.join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A horizontal bar chart of throughput, one panel per group, bars scaled within a group. */
export function resultsSvg(results: readonly ScenarioResult[]): string {
  const width = 900;
  const labelWidth = 330;
  const barHeight = 22;
  const parts: string[] = [];
  let y = 20;
  const titles: Record<ScenarioResult['group'], string> = {
    server: 'Servers, req/s',
    client: 'Clients, calls/s',
    'in-process': 'In-process, events/s',
    delivery: 'Durable delivery, events/s',
    streams: 'JetStream against Redis Streams, events/s',
    console: 'Operator console, requests/s',
  };
  for (const group of ['server', 'client', 'in-process', 'delivery', 'streams', 'console'] as const) {
    const rows = results.filter((result) => result.group === group);
    if (rows.length === 0) continue;
    const max = Math.max(...rows.map((row) => row.throughput));
    parts.push(`<text x="10" y="${y}" font-weight="bold">${titles[group]}</text>`);
    y += 10;
    for (const row of rows) {
      const length = Math.max(1, Math.round(((width - labelWidth - 110) * row.throughput) / max));
      const ours = !baselineKeys.has(row.key);
      parts.push(
        `<text x="10" y="${y + 16}">${escapeXml(row.label)}</text>`,
        `<rect x="${labelWidth}" y="${y + 3}" width="${length}" height="${barHeight - 6}" fill="${ours ? '#2f7ed8' : '#9aa5b1'}"/>`,
        `<text x="${labelWidth + length + 6}" y="${y + 16}">${Math.round(row.throughput).toLocaleString('en-US')}</text>`,
      );
      y += barHeight;
    }
    y += 20;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif" font-size="13">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}
