import type { Sink } from './sink.js';

/** The health of one sink. */
export interface SinkHealth {
  readonly name: string;
  readonly healthy: boolean;
  readonly durationMs: number;
}

/** The health of several sinks at once, ready to serve on a health route. */
export interface HealthReport {
  /** Every sink is healthy. */
  readonly healthy: boolean;
  readonly sinks: readonly SinkHealth[];
}

/**
 * Checks every sink at once, each bounded by `timeoutMs` (2 s by default); a sink that throws or
 * takes too long is unhealthy. Never rejects.
 *
 * @example
 * app.get('/health', async (_req, res) => { const report = await healthReport(sinks); res.status(report.healthy ? 200 : 503).json(report); });
 */
export async function healthReport(
  sinks: readonly Sink[],
  options: { timeoutMs?: number } = {},
): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const checks = sinks.map(async (sink): Promise<SinkHealth> => {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const healthy = await Promise.race([sink.healthCheck().catch(() => false), timedOut]);
    clearTimeout(timer);
    return { name: sink.name, healthy, durationMs: Math.round(performance.now() - started) };
  });
  const results = await Promise.all(checks);
  return { healthy: results.every((result) => result.healthy), sinks: results };
}
