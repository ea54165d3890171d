import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { OutboxStore } from '@events-protocol/outbox';
import type { ChildStoreConfig } from './children/child-store.js';
import { seededRandom, startReceiver } from './receiver.js';

const workspace = fileURLToPath(new URL('../..', import.meta.url));
const children = new Set<ChildProcess>();

/** Starts a child script of `children/` running TypeScript sources through tsx. */
export function startChild(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@events-protocol/source', `test/outbox/children/${script}`],
    { cwd: workspace, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null) console.error(`${script} exited with ${String(code)}:\n${errors}`);
  });
  return child;
}

/** Resolves once the child wrote `text` to stdout. */
export function printed(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) resolve();
    });
    child.once('exit', () => reject(new Error(`child exited before printing '${text}'`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const exit = exited(child);
  child.kill(signal);
  await exit;
}

/** Kills every child still running (after a failed assertion). */
export async function killChildren(): Promise<void> {
  await Promise.all([...children].map((child) => kill(child, 'SIGKILL')));
}

/** What one crash run does. */
export interface CrashScenario {
  /** The store the children open. */
  store: ChildStoreConfig;
  /** The same store opened in the test process, to check that nothing is left. */
  open: () => OutboxStore;
  /** Events the producer enqueues. */
  count: number;
  /** How many times the relay is killed with SIGKILL and restarted. */
  kills: number;
}

/**
 * A producer child enqueues `count` events while a relay child delivers them to a receiver that
 * refuses ~20 % of requests; the relay is SIGKILLed at random points and restarted. Every id must
 * arrive at least once. The seed (OUTBOX_CRASH_SEED to replay) is printed.
 */
export async function runCrashScenario(scenario: CrashScenario): Promise<void> {
  const seed = Number(process.env.OUTBOX_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`outbox crash test (${scenario.store.kind}): seed ${seed}`);
  const random = seededRandom(seed);
  await using receiver = await startReceiver();
  receiver.fails = () => random() < 0.2;
  const runId = `crash-${seed}`;
  const killedAt: number[] = [];
  const env = {
    OUTBOX_STORE: JSON.stringify(scenario.store),
    OUTBOX_COUNT: String(scenario.count),
    OUTBOX_RUN_ID: runId,
    OUTBOX_RECEIVER: receiver.url,
  };
  try {
    const producer = startChild('producer.ts', env);
    let relay = startChild('relay.ts', env);
    for (let round = 0; round < scenario.kills; round++) {
      await printed(relay, 'relay ready');
      // Kill it mid-flow: once this relay delivered something (a loaded machine starts it slowly).
      const before = receiver.deliveries();
      const flowing = Date.now() + 30_000;
      while (receiver.deliveries() === before && Date.now() < flowing) await sleep(10);
      await sleep(Math.floor(random() * 300));
      await kill(relay, 'SIGKILL');
      killedAt.push(receiver.received.size);
      relay = startChild('relay.ts', env);
    }
    expect(await exited(producer)).toBe(0);
    const deadline = Date.now() + 150_000;
    while (receiver.received.size < scenario.count && Date.now() < deadline) await sleep(50);
    await kill(relay, 'SIGTERM');
  } finally {
    await killChildren();
  }
  const missing = Array.from({ length: scenario.count }, (_, index) => `${runId}-${index}`).filter(
    (id) => !receiver.received.has(id),
  );
  console.log(
    `outbox crash test (${scenario.store.kind}): ${receiver.received.size}/${scenario.count} ids, ` +
      `${receiver.deliveries()} deliveries, ${receiver.refusals()} refused, relay killed at ${killedAt.join(', ')}`,
  );
  expect(missing).toEqual([]);
  // The kills must have hit the flow, not an idle relay, for the test to mean anything.
  expect(killedAt.some((received) => received > 0 && received < scenario.count)).toBe(true);
  const store = scenario.open();
  try {
    expect((await store.listUndelivered()).events).toEqual([]);
  } finally {
    await store.close();
  }
}
