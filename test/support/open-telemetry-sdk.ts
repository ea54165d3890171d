import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as Api from '@opentelemetry/api';
import type * as AsyncHooks from '@opentelemetry/context-async-hooks';
import type * as Core from '@opentelemetry/core';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';

// The SDK is loaded as Node loads it for an application (its default, CommonJS, export), and
// registered through the copy of @opentelemetry/api the SDK itself resolves: the one its peer range
// accepts. Our packages must record into that provider, so a second, incompatible copy of the API
// in our packages leaves the exporter empty and fails the tests that use this.
const load = createRequire(import.meta.url);

/** The real OpenTelemetry tracing SDK, its API copy, and an exporter that keeps finished spans. */
export interface TracingSdk {
  readonly api: typeof Api;
  readonly sdk: typeof SdkTraceBase;
  readonly exporter: SdkTraceBase.InMemorySpanExporter;
  /** Registers the provider, an async-hooks context manager and the W3C propagator globally. */
  readonly register: () => void;
  /** Takes all three back. */
  readonly unregister: () => void;
}

/** Loads the tracing SDK the way an application does; call `register` in a `beforeAll`. */
export function loadTracingSdk(): TracingSdk {
  const sdk = load('@opentelemetry/sdk-trace-base') as typeof SdkTraceBase;
  const { AsyncLocalStorageContextManager } = load('@opentelemetry/context-async-hooks') as typeof AsyncHooks;
  const { W3CTraceContextPropagator } = load('@opentelemetry/core') as typeof Core;
  const api = createRequire(`${dirname(load.resolve('@opentelemetry/sdk-trace-base'))}/`)(
    '@opentelemetry/api',
  ) as typeof Api;
  const exporter = new sdk.InMemorySpanExporter();
  return {
    api,
    sdk,
    exporter,
    register() {
      api.trace.setGlobalTracerProvider(
        new sdk.BasicTracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor(exporter)] }),
      );
      api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    },
    unregister() {
      api.trace.disable();
      api.context.disable();
      api.propagation.disable();
    },
  };
}
