import { Queue, Worker } from 'bullmq';
import PgBoss from 'pg-boss';
import { Agent, request } from 'undici';
import { deliveryBody, type DeliveryScenario } from './delivery-system.js';

/** POSTs one event's JSON the way a hand-written worker would: undici, keep-alive, 2xx or throw. */
function poster(
  url: string,
  connections: number,
): { post: (body: string) => Promise<void>; close: () => Promise<void> } {
  const agent = new Agent({ connections, keepAliveTimeout: 60_000 });
  return {
    post: async (body) => {
      const response = await request(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
        dispatcher: agent,
      });
      await response.body.dump();
      if (response.statusCode < 200 || response.statusCode > 299)
        throw new Error(`receiver said ${response.statusCode}`);
    },
    close: () => agent.close(),
  };
}

/**
 * BullMQ: a queue on the shared redis-server and one Worker with the same concurrency, each job
 * POSTing its event. Jobs are removed on completion, as a production setup keeps Redis small,
 * and get the same retry budget as ours.
 */
export const bullmqScenario: DeliveryScenario = {
  key: 'bullmq',
  label: 'BullMQ worker doing the same POST (baseline)',
  async open(receiver, services, name) {
    const connection = { url: services.redisUrl, maxRetriesPerRequest: null };
    const queue = new Queue(name, { connection });
    const http = poster(receiver.url, services.concurrency);
    let worker: Worker | undefined;
    return {
      enqueue: async (events) => {
        await queue.addBulk(
          events.map((event) => ({
            name: event.name,
            data: deliveryBody(event),
            opts: {
              jobId: event.id,
              attempts: 10,
              backoff: { type: 'exponential', delay: 1000 },
              removeOnComplete: true,
            },
          })),
        );
      },
      start: async () => {
        worker = new Worker<string>(name, async (job) => http.post(job.data), {
          connection,
          concurrency: services.concurrency,
        });
        await worker.waitUntilReady();
      },
      close: async () => {
        await worker?.close();
        await queue.obliterate({ force: true });
        await queue.close();
        await http.close();
      },
    };
  },
};

/**
 * pg-boss 10 (the last line that runs on Node 20) on the shared PostgreSQL: one queue, a worker
 * at its shortest polling interval (0.5 s; it waits that long after each batch too) fetching up
 * to 100 jobs at a time, as its docs advise for throughput, POSTing them `concurrency` at a time.
 */
export const pgBossScenario: DeliveryScenario = {
  key: 'pg-boss',
  label: 'pg-boss 10 worker doing the same POST (baseline)',
  store: 'postgres',
  async open(receiver, services, name) {
    const boss = new PgBoss({ connectionString: services.postgresUrl, schema: name, max: services.concurrency + 2 });
    boss.on('error', () => undefined);
    await boss.start();
    await boss.createQueue(name, { name, retryLimit: 10, retryBackoff: true });
    const http = poster(receiver.url, services.concurrency);
    return {
      enqueue: async (events) => {
        await boss.insert(events.map((event) => ({ name, data: { body: deliveryBody(event) } })));
      },
      start: async () => {
        await boss.work<{ body: string }>(name, { batchSize: 100, pollingIntervalSeconds: 0.5 }, async (jobs) => {
          let next = 0;
          const lane = async (): Promise<void> => {
            for (let job = jobs[next++]; job !== undefined; job = jobs[next++]) await http.post(job.data.body);
          };
          await Promise.all(Array.from({ length: services.concurrency }, lane));
        });
      },
      close: async () => {
        await boss.stop({ graceful: false, wait: true });
        await http.close();
      },
    };
  },
};
