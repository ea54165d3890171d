/**
 * Scaling on one machine: the node adapter as one process against the same adapter under
 * node:cluster with two workers, both driven by autocannon with the same load, rounds interleaved.
 *
 *   npx --yes pnpm@10 bench:cluster
 *
 * On a 2-core machine the load generator needs a core too, so two workers cannot double the
 * throughput here: the figure shows what a second process adds when a core is free for it.
 */
import { everyCpu } from './every-cpu.js';
import { postEvents } from './event-load.js';
import { median } from './measure.js';
import { startServer } from './servers-bench.js';

const rounds = Number(process.argv.find((argument) => argument.startsWith('--rounds='))?.slice(9) ?? 3);
const seconds = 5;

/** One round: a fresh server, a 2 s warm-up, then the measured run. */
async function measure(script: string): Promise<number> {
  const { child, port } = await startServer(script, everyCpu());
  try {
    const run = (duration: number) => postEvents(port, { connections: 100, seconds: duration });
    await run(2);
    return (await run(seconds)).requests.average;
  } finally {
    child.kill('SIGTERM');
  }
}

const single: number[] = [];
const clustered: number[] = [];
for (let round = 0; round < rounds; round++) {
  single.push(await measure('events-node.js'));
  clustered.push(await measure('events-cluster.js'));
}
const [one, two] = [median(single), median(clustered)];
process.stdout.write(
  `node adapter, one process: ${Math.round(one)} req/s (rounds ${single.map(Math.round).join(', ')})\n` +
    `node adapter, cluster of 2 workers: ${Math.round(two)} req/s (rounds ${clustered.map(Math.round).join(', ')})\n` +
    `cluster / one process: ${(two / one).toFixed(2)}×\n`,
);
