/** Writes RESULTS.md and a bar chart (SVG) from the scenario results. */
import type { ScenarioResult } from './measure.js';
import type { MemoryResult } from './memory-bench.js';
import type { TypeCheckCost } from './type-check-cost.js';
import { typeCheckMarkdown, typeCheckTargetRows } from './type-check-report.js';

/** A ratio target: `key` must reach `min` × `baseline`. */
export interface Target {
  key: string;
  baseline: string;
  min: number;
  label: string;
}

export const targets: Target[] = [
  { key: 'events-node', baseline: 'raw-node', min: 0.9, label: 'node adapter ≥ 0.9× raw node:http' },
  { key: 'events-node', baseline: 'fastify-zod', min: 1, label: 'node adapter ≥ 1.0× Fastify 5 with zod' },
  { key: 'events-express', baseline: 'bare-express', min: 1.2, label: 'Express adapter ≥ 1.2× bare Express route' },
  { key: 'events-fetch-bun', baseline: 'hono-bun', min: 1, label: 'fetch handler on Bun ≥ 1.0× Hono on Bun' },
  { key: 'events-node', baseline: 'trpc', min: 6, label: 'node adapter ≥ 6× tRPC standalone' },
  { key: 'send-event', baseline: 'undici-request', min: 0.95, label: 'sendEvent ≥ 0.95× raw undici request' },
  { key: 'send-event', baseline: 'fetch', min: 1.5, label: 'sendEvent ≥ 1.5× global fetch' },
  { key: 'redis-relay', baseline: 'bullmq', min: 1, label: 'Redis relay ≥ 1.0× BullMQ worker (enqueue → delivered)' },
  { key: 'postgres-relay', baseline: 'pg-boss', min: 2, label: 'PostgreSQL relay ≥ 2× pg-boss (enqueue → delivered)' },
];

/** A target on one measured figure: `key`'s `figure` within `limit`. */
export interface AbsoluteTarget {
  key: string;
  figure: 'throughput' | 'commitP50Ms';
  /** `throughput` must reach it; a latency must stay at or below it. */
  limit: number;
  label: string;
}

export const absoluteTargets: AbsoluteTarget[] = [
  {
    key: 'postgres-relay',
    figure: 'commitP50Ms',
    limit: 5,
    label: 'PostgreSQL commit → first attempt, p50 ≤ 5 ms',
  },
  { key: 'webhooks-redis', figure: 'throughput', limit: 2000, label: 'signed webhook deliveries ≥ 2,000/s (Redis)' },
  {
    key: 'webhooks-postgres',
    figure: 'throughput',
    limit: 2000,
    label: 'signed webhook deliveries ≥ 2,000/s (PostgreSQL)',
  },
];

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
]);

function format(value: number | undefined, digits = 1): string {
  return value === undefined
    ? '–'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function ratio(results: ScenarioResult[], key: string, baseline: string): number | undefined {
  const subject = results.find((result) => result.key === key);
  const base = results.find((result) => result.key === baseline);
  return subject === undefined || base === undefined || base.throughput === 0
    ? undefined
    : subject.throughput / base.throughput;
}

/** The memory table: each server's figures next to raw node:http's. */
function memoryMarkdown(memory: readonly MemoryResult[]): string[] {
  if (memory.length === 0) return [];
  const base = memory.find((row) => row.key === 'raw-node');
  const times = (value: number, baseline: number | undefined) =>
    baseline === undefined || baseline <= 0 ? '–' : `${format(value / baseline, 2)}×`;
  const lines = [
    `## Memory (${memory[0]?.connections ?? 0} keep-alive connections; heap after a full collection)`,
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

/** The markdown report: the throughput groups, the memory figures when measured, the targets. */
export function resultsMarkdown(
  results: ScenarioResult[],
  setup: string,
  memory: readonly MemoryResult[] = [],
  typeCheck?: TypeCheckCost,
): string {
  const lines = ['# Benchmark results', '', setup, ''];
  const groups: [ScenarioResult['group'], string, string][] = [
    ['server', 'Servers (POST /events, ~430-byte event, 50 connections)', 'req/s'],
    ['client', 'Clients (against the raw node:http server, 50 calls in flight)', 'calls/s'],
    ['in-process', 'In-process (one core, no sockets)', 'events/s'],
    [
      'delivery',
      'Durable delivery (enqueue → delivered to a local receiver; p50/p99: enqueue → first attempt; same redis-server and PostgreSQL, fsync on, concurrency 10)',
      'events/s',
    ],
  ];
  for (const [group, title, unit] of groups) {
    const rows = results.filter((result) => result.group === group);
    if (rows.length === 0) continue;
    lines.push(
      `## ${title}`,
      '',
      `| scenario | ${unit} (median) | × baseline | p50 ms | p99 ms | peak RSS MB | errors | rounds |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    for (const row of rows) {
      const base = baselineOf[row.key] ?? row.key;
      lines.push(
        `| ${row.label} | ${format(row.throughput, 0)} | ${format(ratio(results, row.key, base), 2)} × ${base} | ${format(row.p50Ms, 2)} | ${format(row.p99Ms, 2)} | ${format(row.peakRssMb)} | ${row.errors} | ${row.rounds.join(', ')} |`,
      );
    }
    lines.push('');
  }
  lines.push(...memoryMarkdown(memory));
  lines.push(...typeCheckMarkdown(typeCheck));
  lines.push('## Targets', '', '| target | measured | met |', '| --- | ---: | :---: |');
  let missed = false;
  for (const target of targets) {
    const measured = ratio(results, target.key, target.baseline);
    missed ||= measured !== undefined && measured < target.min;
    lines.push(
      `| ${target.label} | ${measured === undefined ? 'not run' : `${format(measured, 2)}×`} | ${measured === undefined ? '–' : measured >= target.min ? 'yes' : '**no**'} |`,
    );
  }
  for (const target of absoluteTargets) {
    const row = results.find((result) => result.key === target.key);
    const measured = row?.[target.figure];
    const met =
      measured === undefined
        ? undefined
        : target.figure === 'throughput'
          ? measured >= target.limit
          : measured <= target.limit;
    missed ||= met === false;
    const shown =
      measured === undefined
        ? 'not run'
        : target.figure === 'throughput'
          ? `${format(measured, 0)}/s`
          : `${format(measured, 2)} ms`;
    lines.push(`| ${target.label} | ${shown} | ${met === undefined ? '–' : met ? 'yes' : '**no**'} |`);
  }
  const typeCheckRows = typeCheckTargetRows(typeCheck);
  lines.push(...typeCheckRows.rows);
  missed ||= typeCheckRows.missed;
  if (missed) {
    lines.push(
      '',
      'Where a target is not met, [PROFILE.md](./PROFILE.md) shows where the time goes and what was tried.',
    );
  }
  lines.push('', '![throughput](./results.svg)', '');
  return lines.join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A horizontal bar chart of throughput, one panel per group, bars scaled within a group. */
export function resultsSvg(results: ScenarioResult[]): string {
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
  };
  for (const group of ['server', 'client', 'in-process', 'delivery'] as const) {
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
