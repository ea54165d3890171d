import {
  defaultHttpTransport,
  EventClient,
  FetchTransport,
  type EventClientOptions,
  type SendResult,
} from '@events-protocol/client';
import { defineEvent } from '@events-protocol/core';
import { z } from 'zod';

// Runs in Bun, Deno and a browser page (transpiled as it is served): only the client's public
// entry, core and zod, nothing of Node's.

/** Where the scenarios call. */
export interface ScenarioTarget {
  /** The events endpoint of a server running the example service. */
  readonly url: string;
  /** An events URL where nothing listens. */
  readonly unreachableUrl: string;
  /** Call through an explicit `FetchTransport` instead of the one the client chooses. */
  readonly forceFetch?: boolean;
}

/** A result reduced to what the test compares (JSON, so it crosses processes and pages). */
export interface ScenarioOutcome {
  readonly kind: SendResult['kind'];
  readonly name?: string;
  readonly payload?: unknown;
  readonly errorType?: string;
  readonly code?: unknown;
  readonly reason?: string;
  readonly phase?: string;
  readonly elapsedMs?: number;
}

/** What one runtime did with each scenario. */
export interface ScenarioReport {
  readonly runtime: string;
  /** The class of the transport `defaultHttpTransport` chose (or `FetchTransport` when forced). */
  readonly transport: string;
  readonly success: ScenarioOutcome;
  readonly typed: ScenarioOutcome;
  readonly error: ScenarioOutcome;
  readonly timeout: ScenarioOutcome & { readonly budgetMs: number };
  readonly unreachable: ScenarioOutcome;
  readonly deadline: ScenarioOutcome & { readonly budgetMs: number };
}

const getUser = defineEvent({
  name: 'user:get',
  payload: z.object({ userId: z.string() }),
  response: z.object({ userId: z.string(), name: z.string() }),
});

function runtimeName(): string {
  const scope = globalThis as { Bun?: unknown; Deno?: unknown; process?: { versions?: { node?: string } } };
  if (scope.Bun !== undefined) return 'bun';
  if (scope.Deno !== undefined) return 'deno';
  if (scope.process?.versions?.node !== undefined) return 'node';
  return 'browser';
}

function outcomeOf(result: SendResult, startedAt?: number): ScenarioOutcome {
  const elapsed = startedAt === undefined ? {} : { elapsedMs: Math.round(performance.now() - startedAt) };
  switch (result.kind) {
    case 'success':
      return { kind: result.kind, name: result.event.name, payload: result.event.payload, ...elapsed };
    case 'error': {
      const code = (result.event.payload as { code?: unknown } | null)?.code;
      return { kind: result.kind, name: result.event.name, errorType: result.errorType, code, ...elapsed };
    }
    case 'timeout':
      return { kind: result.kind, ...(result.phase === undefined ? {} : { phase: result.phase }), ...elapsed };
    case 'failedDependency':
      return {
        kind: result.kind,
        reason: result.reason,
        ...(result.phase === undefined ? {} : { phase: result.phase }),
        ...elapsed,
      };
  }
}

/** Calls the example service through the client's default transport, once per outcome. */
export async function runClientScenarios(target: ScenarioTarget): Promise<ScenarioReport> {
  const transport =
    target.forceFetch === true
      ? new FetchTransport(target.url)
      : defaultHttpTransport(target.url, { connectMs: 1000, responseMs: 1000 });
  await transport.close();
  const connect = (url: string, options: Omit<EventClientOptions, 'url' | 'transport'>): EventClient =>
    target.forceFetch === true
      ? new EventClient({ ...options, transport: new FetchTransport(url) })
      : new EventClient({ ...options, url });
  const client = connect(target.url, { origin: 'runtime-scenarios' });
  const unreachable = connect(target.unreachableUrl, { timeout: 5000 });
  const deadlineBudgetMs = 4321;
  const marked = connect(target.url, { timeout: deadlineBudgetMs, headers: { 'x-scenario': 'deadline' } });
  try {
    const success = outcomeOf(await client.sendEvent({ name: 'echo', payload: { text: 'hello', count: 3 } }));
    const typedResult = await client.send(getUser, { userId: 'u-7' });
    const typed =
      typedResult.kind === 'success'
        ? { kind: typedResult.kind, payload: typedResult.payload }
        : outcomeOf(typedResult);
    const error = outcomeOf(await client.sendEvent({ name: 'user:get', payload: { userId: 'missing' } }));
    const budgetMs = 300;
    const timeoutStarted = performance.now();
    const timeout = outcomeOf(await client.sendEvent({ name: 'hang', timeout: budgetMs }), timeoutStarted);
    const unreachableOutcome = outcomeOf(await unreachable.sendEvent({ name: 'echo' }));
    const deadline = outcomeOf(await marked.sendEvent({ name: 'echo', payload: 'marked' }));
    return {
      runtime: runtimeName(),
      transport: transport.constructor.name,
      success,
      typed,
      error,
      timeout: { ...timeout, budgetMs },
      unreachable: unreachableOutcome,
      deadline: { ...deadline, budgetMs: deadlineBudgetMs },
    };
  } finally {
    await Promise.all([client.close(), unreachable.close(), marked.close()]);
  }
}
