/**
 * Client scenarios against the raw node:http server (pinned to the other core): our sendEvent,
 * undici's own `request` with the same body and pool size (the baseline), and Node's global fetch.
 * Each client runs in a process of its own on this core (clients/client-child.ts), as in an
 * application; 50 calls in flight for the round's duration; throughput and p99 of each call.
 */
import { clientScenarios } from './clients/client-calls.js';
import { ClientProcess, type DriveResult } from './clients/client-process.js';
import { median, type ScenarioResult } from './measure.js';
import { startServer, type LoadOptions } from './servers-bench.js';

/** Runs the three client scenarios, interleaving their rounds so drift hits all alike. */
export async function runClientScenarios(options: LoadOptions): Promise<ScenarioResult[]> {
  const { child, port } = await startServer('raw-node.js', options.serverCpu);
  const url = `http://127.0.0.1:${port}/events`;
  const clients: ClientProcess[] = [];
  const rounds = new Map(clientScenarios.map((scenario) => [scenario.key, [] as DriveResult[]]));
  try {
    for (const scenario of clientScenarios) {
      clients.push(await ClientProcess.start(scenario.key, url, options.connections));
    }
    for (const client of clients) await client.drive(options.warmupSeconds);
    for (let round = 0; round < options.rounds; round++) {
      for (const client of clients) rounds.get(client.key)?.push(await client.drive(options.roundSeconds));
    }
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    child.kill('SIGKILL');
  }
  return clientScenarios.map((scenario) => {
    const measured = rounds.get(scenario.key) ?? [];
    return {
      key: scenario.key,
      label: scenario.label,
      group: 'client',
      throughput: median(measured.map((round) => round.rate)),
      p50Ms: median(measured.map((round) => round.p50)),
      p99Ms: median(measured.map((round) => round.p99)),
      errors: measured.reduce((sum, round) => sum + round.errors, 0),
      rounds: measured.map((round) => Math.round(round.rate)),
    };
  });
}
