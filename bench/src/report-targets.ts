/** The targets of RESULTS.md: ratios against a baseline of the same run, and absolute figures. */
import type { ScenarioResult, VersionRun } from './measure.js';
import { typeCheckTargetRows } from './type-check-report.js';

/** A ratio target: `key` must reach `min` × `baseline`. */
export interface Target {
  key: string;
  baseline: string;
  min: number;
  label: string;
}

/** The ratio targets, in the order of the table. */
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

/** The absolute targets, after the ratios. */
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

function formatted(value: number, digits: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** `key`'s throughput over `baseline`'s, when both ran. */
export function ratio(results: readonly ScenarioResult[], key: string, baseline: string): number | undefined {
  const subject = results.find((result) => result.key === key);
  const base = results.find((result) => result.key === baseline);
  return subject === undefined || base === undefined || base.throughput === 0
    ? undefined
    : subject.throughput / base.throughput;
}

/** The targets table of one run (every target, `not run` where its group did not run) and whether one was missed. */
export function targetsMarkdown(run: VersionRun, heading: string): { lines: string[]; missed: boolean } {
  const { results } = run;
  const lines = [`${heading} Targets`, '', '| target | measured | met |', '| --- | ---: | :---: |'];
  let missed = false;
  for (const target of targets) {
    const measured = ratio(results, target.key, target.baseline);
    missed ||= measured !== undefined && measured < target.min;
    lines.push(
      `| ${target.label} | ${measured === undefined ? 'not run' : `${formatted(measured, 2)}×`} | ${measured === undefined ? '–' : measured >= target.min ? 'yes' : '**no**'} |`,
    );
  }
  for (const target of absoluteTargets) {
    const measured = results.find((result) => result.key === target.key)?.[target.figure];
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
          ? `${formatted(measured, 0)}/s`
          : `${formatted(measured, 2)} ms`;
    lines.push(`| ${target.label} | ${shown} | ${met === undefined ? '–' : met ? 'yes' : '**no**'} |`);
  }
  const typeCheckRows = typeCheckTargetRows(run.typeCheck);
  lines.push(...typeCheckRows.rows);
  missed ||= typeCheckRows.missed;
  return { lines, missed };
}
