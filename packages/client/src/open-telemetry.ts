import type * as Api from '@opentelemetry/api';

/** The `@opentelemetry/api` module, as the application installed it. */
export type OpenTelemetryApi = typeof Api;

type RequireFunction = (id: string) => unknown;

interface NodeModuleBuiltin {
  createRequire(from: string): RequireFunction;
}

let loaded: OpenTelemetryApi | null | undefined;

/**
 * A `require` from this module, without importing anything from `node:` (the entry also runs in
 * browsers): `process.getBuiltinModule` gives `node:module` on Node (≥ 20.16), Bun and Deno.
 * `undefined` where there is none (browsers, workers): there, nothing is traced.
 */
function localRequire(): RequireFunction | undefined {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const builtin = process?.getBuiltinModule?.('node:module') as NodeModuleBuiltin | undefined;
  return builtin?.createRequire(import.meta.url);
}

/**
 * `@opentelemetry/api`, an optional peer dependency: loaded the first time tracing is asked for,
 * from where this package is installed, so it is the application's own copy (the one its SDK
 * registers with). `undefined` when it is not installed, or in a browser: then nothing is traced.
 *
 * Loaded with `require`, as Node loads it for `import` too (the package's default export is its
 * CommonJS build), so both share one copy.
 */
export function openTelemetryApi(): OpenTelemetryApi | undefined {
  if (loaded === undefined) {
    try {
      const load = localRequire();
      loaded = load === undefined ? null : (load('@opentelemetry/api') as OpenTelemetryApi);
    } catch (error) {
      if (!isNotInstalled(error)) throw error;
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/** Whether `require` failed because the API itself is missing, not because something in it broke. */
function isNotInstalled(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'MODULE_NOT_FOUND' && typeof message === 'string' && message.includes("'@opentelemetry/api'");
}

let version: string | undefined;

/**
 * This package's version, as its meter names it (read once, from its `package.json`); `undefined`
 * where there is no `require` (browsers), where nothing is measured anyway.
 */
export function clientPackageVersion(): string | undefined {
  if (version === undefined) {
    const load = localRequire();
    version = load === undefined ? undefined : (load('../package.json') as { version: string }).version;
  }
  return version;
}
