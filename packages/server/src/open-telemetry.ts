import type * as Api from '@opentelemetry/api';
import { createRequire } from 'node:module';

/** The `@opentelemetry/api` module, as the application installed it. */
export type OpenTelemetryApi = typeof Api;

let loaded: OpenTelemetryApi | null | undefined;
let version: string | undefined;

/**
 * `@opentelemetry/api`, an optional peer dependency: loaded the first time tracing or metrics are
 * asked for, from where this package is installed, so it is the application's own copy (the one
 * its SDK registers with). `undefined` when it is not installed: then nothing is traced or measured.
 *
 * Loaded with `require`, as Node loads it for `import` too (the package's default export is its
 * CommonJS build), so both share one copy.
 */
export function openTelemetryApi(): OpenTelemetryApi | undefined {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('@opentelemetry/api') as OpenTelemetryApi;
    } catch (error) {
      if (!isNotInstalled(error)) throw error;
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/** This package's version, as its meter and tracer name it (read once, from its `package.json`). */
export function serverPackageVersion(): string {
  version ??= (createRequire(import.meta.url)('../package.json') as { version: string }).version;
  return version;
}

/** Whether `require` failed because the API itself is missing, not because something in it broke. */
function isNotInstalled(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'MODULE_NOT_FOUND' && typeof message === 'string' && message.includes("'@opentelemetry/api'");
}
