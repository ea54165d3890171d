import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebhookSubscriptions, type WebhookStore } from '@events-protocol/webhooks';
import { killChildren, kill, printed, startChild } from '../outbox/crash-scenario.js';
import { seededRandom } from '../outbox/receiver.js';
import type { CrashStoreConfig } from './children/crash-store.js';
import { openCrashStore } from './children/crash-store.js';
import { startCrashReceiver, type CrashReceiverCounts } from './crash-receiver.js';

/** What one webhook crash run does. */
export interface WebhookCrashScenario {
  store: CrashStoreConfig;
  /** Events the producer delivers (to every subscription). */
  events: number;
  /** Subscriptions to the event type, each its own target and secret. */
  subscriptions: number;
  /** Dispatcher processes making attempts at once. */
  relays: number;
  /** How many times a relay is killed with SIGKILL and restarted (at least). */
  kills: number;
}

/** The figures of one run. */
export interface WebhookCrashResult extends CrashReceiverCounts {
  seed: number;
  /** (subscription, event) pairs expected. */
  expected: number;
  /** Pairs never accepted. */
  lost: string[];
  /** Accepted deliveries beyond the first of their pair. */
  duplicates: number;
  /** Accepted pairs when each kill happened. */
  killedAt: number[];
  /** Entries the store still holds as pending or undelivered at the end. */
  pendingAtEnd: number;
  undeliveredAtEnd: number;
}

/** Resolves once the relay is ready; a relay killed before that is no unhandled rejection. */
function readyOf(relay: ChildProcess): Promise<void> {
  const ready = printed(relay, 'relay ready');
  ready.catch(() => undefined);
  return ready;
}

// Relays see children paths relative to test/outbox/children, where the shared helper starts them.
const child = (script: string): string => `../../webhooks/children/${script}`;

function exited(process: ChildProcess): Promise<number | null> {
  if (process.exitCode !== null || process.signalCode !== null) return Promise.resolve(process.exitCode);
  return new Promise((resolve) => process.once('exit', (code) => resolve(code)));
}

/**
 * A producer process delivers `events` events to `subscriptions` subscriptions while `relays`
 * dispatcher processes make the attempts to a receiver that refuses or resets ~20 % of requests;
 * relays are SIGKILLed at random moments and restarted. Resolves to what arrived; the caller
 * asserts. The seed (WEBHOOKS_CRASH_SEED to replay) is printed.
 */
export async function runWebhookCrash(scenario: WebhookCrashScenario): Promise<WebhookCrashResult> {
  const seed = Number(process.env.WEBHOOKS_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`webhook crash test (${scenario.store.kind}): seed ${seed}`);
  const random = seededRandom(seed);
  await using receiver = await startCrashReceiver(seededRandom(seed + 1));
  const store = await openCrashStore(scenario.store);
  try {
    await store.setup();
    const targets = await createSubscriptions(store, scenario.subscriptions, (path, secret) =>
      receiver.target(path, secret),
    );
    const runId = `crash-${seed}`;
    const env = {
      WEBHOOKS_CRASH_STORE: JSON.stringify(scenario.store),
      WEBHOOKS_CRASH_COUNT: String(scenario.events),
      WEBHOOKS_CRASH_RUN_ID: runId,
    };
    const expected = targets.flatMap((path) =>
      Array.from({ length: scenario.events }, (_, index) => `${path} ${runId}-${index}`),
    );
    const killedAt: number[] = [];
    const started = Date.now();
    const phases: Record<string, number> = {};
    try {
      const producer = startChild(child('crash-producer.ts'), env);
      const relays = Array.from({ length: scenario.relays }, () => startChild(child('crash-relay.ts'), env));
      let ready = relays.map(readyOf);
      // Kill only once deliveries flow: a relay killed before its first attempt tests nothing.
      while (receiver.accepted.size === 0) await sleep(20);
      while (killedAt.length < scenario.kills) {
        await Promise.all(ready);
        await sleep(100 + Math.floor(random() * 500));
        // Mostly one relay, sometimes all at once (nobody left to take over until a restart).
        const victims = random() < 0.25 ? relays.map((_, index) => index) : [Math.floor(random() * relays.length)];
        ready = [];
        for (const victim of victims) {
          await kill(relays[victim]!, 'SIGKILL');
          killedAt.push(receiver.accepted.size);
          relays[victim] = startChild(child('crash-relay.ts'), env);
          ready.push(readyOf(relays[victim]));
        }
      }
      if ((await exited(producer)) !== 0) throw new Error('the producer failed (see its output above)');
      phases.produced = Date.now() - started;
      // Wait for everything to arrive and be recorded as delivered. The bound only stops a hung run
      // in time to kill its children; what is missing then fails the assertions.
      const giveUpAt = Date.now() + 150_000;
      while (receiver.accepted.size < expected.length || (await store.deliveries.pendingCount()) > 0) {
        if (Date.now() > giveUpAt) break;
        await sleep(100);
      }
      phases.settled = Date.now() - started;
      await Promise.all(relays.map((relay) => kill(relay, 'SIGTERM')));
      phases.stopped = Date.now() - started;
    } finally {
      await killChildren();
    }
    const lost = expected.filter((pair) => !receiver.accepted.has(pair));
    const result: WebhookCrashResult = {
      seed,
      ...receiver.counts,
      expected: expected.length,
      lost,
      duplicates: receiver.counts.accepted - receiver.accepted.size,
      killedAt,
      pendingAtEnd: await store.deliveries.pendingCount(),
      undeliveredAtEnd: (await store.deliveries.listUndelivered()).events.length,
    };
    console.log(
      `webhook crash test (${scenario.store.kind}): ${scenario.events} events × ${targets.length} subscriptions, ` +
        `${killedAt.length} kills (${killedAt.filter((at) => at < expected.length).length} mid-flow, at ` +
        `${killedAt.join(', ')} of ${expected.length} accepted), lost ${lost.length}, ` +
        `duplicates ${result.duplicates}, requests ${result.requests}, refused ${result.refused}, ` +
        `resets ${result.resets}, bad signatures ${result.badSignatures}, foreign ids ${result.foreignIds}; ` +
        `ms: ${JSON.stringify(phases)}`,
    );
    return result;
  } finally {
    await store.close();
  }
}

/** Creates the subscriptions, each to its own path of the receiver with its own secret. */
async function createSubscriptions(
  store: WebhookStore,
  count: number,
  target: (path: string, secret: string) => string,
): Promise<string[]> {
  const subscriptions = new WebhookSubscriptions(store, { targetPolicy: { allowPrivateNetworks: true } });
  const paths: string[] = [];
  for (let index = 0; index < count; index++) {
    const path = `/hooks/${index}`;
    const secret = `whsec_${Buffer.alloc(32, index + 1).toString('base64')}`;
    await subscriptions.create({
      eventType: 'order:placed',
      targetUrl: target(path, secret),
      secret,
      retry: { schedule: 'fixed', options: { delayMs: 50, maxAttempts: 50 } },
    });
    paths.push(path);
  }
  return paths;
}
