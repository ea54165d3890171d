import { SqliteWebhookStore } from '@events-protocol/webhooks/sqlite';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';
import { orderPlaced, storeFile, subscriptionTo, webhooks } from './harness.js';

const workspace = fileURLToPath(new URL('../..', import.meta.url));
const running = new Set<ChildProcess>();

function dyingDispatcher(filename: string): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@events-protocol/source', 'test/webhooks/children/dying-dispatcher.ts'],
    { cwd: workspace, env: { ...process.env, WEBHOOKS_STORE: filename }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
}

afterEach(async () => {
  await Promise.all(
    [...running].map((child) => {
      const exit = exited(child);
      child.kill('SIGKILL');
      return exit;
    }),
  );
});

describe('the retry budget when attempts kill the dispatcher', () => {
  it('ends a delivery undelivered after maxAttempts interrupted attempts, each recorded as LEASE_EXPIRED', async () => {
    const maxAttempts = 3;
    // The receiver counts requests as they arrive and never answers: each attempt is in flight
    // when its process dies.
    let posts = 0;
    const receiver = await listen((request) => {
      if (request.method === 'POST') posts++;
    });
    await using _receiver = receiver;
    const file = await storeFile();
    try {
      const setup = await webhooks({ filename: file.filename, startWorker: false });
      await setup.subscriptions.create(
        subscriptionTo(`${receiver.origin}/hooks`, {
          retry: { schedule: 'fixed', options: { delayMs: 10, maxAttempts } },
        }),
      );
      const event = orderPlaced();
      const [status] = await setup.dispatcher.deliverEvent(event);
      await setup.close();

      const store = new SqliteWebhookStore({ filename: file.filename });
      const deliveryId = status?.deliveryId ?? '';
      const state = async () => (await store.deliveries.getEntry(deliveryId))?.state;
      const kills: (NodeJS.Signals | null)[] = [];
      // Restarted as a supervisor would, a few more times than the budget allows.
      for (let round = 0; round < maxAttempts + 3 && (await state()) !== 'undelivered'; round++) {
        const child = dyingDispatcher(file.filename);
        const exit = exited(child).then((signal) => ({ signal }));
        // Until the child dies, or the delivery is given up while it lives.
        for (;;) {
          const died = await Promise.race([exit, sleep(50).then(() => undefined)]);
          if (died !== undefined) {
            kills.push(died.signal);
            break;
          }
          if ((await state()) === 'undelivered') {
            child.kill('SIGTERM');
            await exit;
            break;
          }
        }
      }

      expect(kills).toEqual(Array.from({ length: maxAttempts }, () => 'SIGKILL'));
      const delivery = await store.deliveries.getEntry(deliveryId);
      expect(delivery?.state).toBe('undelivered');
      const history = delivery?.history ?? [];
      expect(history.slice(0, maxAttempts).map((attempt) => attempt.attempt)).toEqual([1, 2, 3]);
      for (const attempt of history.slice(0, maxAttempts)) {
        expect(attempt).toMatchObject({ outcome: 'interrupted', error: { code: 'LEASE_EXPIRED' } });
        expect(attempt.status).toBeUndefined();
        expect(Date.parse(attempt.at)).toBeGreaterThan(0);
      }
      // The claim that found the budget spent published nothing; the relay may record why.
      for (const check of history.slice(maxAttempts)) {
        expect(check).toMatchObject({ outcome: 'failed', error: { code: 'ATTEMPTS_EXHAUSTED' } });
      }
      expect(posts).toBe(maxAttempts);
      await store.close();
    } finally {
      await file.cleanup();
    }
  }, 120_000);
});
