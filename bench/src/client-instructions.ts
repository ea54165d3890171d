/**
 * Instructions per call of sendEvent's own work, counted by valgrind's callgrind: the bench's
 * ~430-byte event sent through a transport that answers at once with the bench server's answer,
 * so what is counted is the client (building the event and its ids, writing it, the attempt,
 * reading and checking the answer), not sockets or undici. Time per call over the network moves
 * with the host by more than a change to that work: processes of one build ran at 38 and at
 * 45 µs of CPU per call in rounds of `client-cpu.ts`.
 *
 * Each build runs twice under callgrind, with `--warmup` calls and then with `--calls` more, each
 * in a process of its own; the difference of the main thread's counts over `--calls` is one call's
 * instructions, start-up and warm-up left out. `--rounds` rounds (3 by default) alternate the
 * builds and the medians are printed. A further build's `client/dist/index.js` (a copy of `dist/`
 * of an earlier commit, inside `packages/client/` so that its imports resolve) is counted in the
 * same rounds, which is how a change is compared with the code before it.
 *
 * `node bench/dist/client-instructions.js [--warmup=20000] [--calls=20000] [--rounds=3] [client entry …]`
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EventClient } from '@events-protocol/client';
import { readCallgrindDump } from './callgrind-dump.js';
import { priceOrderAnswer, requestEvent } from './fixture.js';
import { median } from './measure.js';
import { wholeNumberOption } from './script-options.js';

const childFlag = '--child';

/** In the counted process: `calls` calls of sendEvent through the client at `entry`. */
async function runCalls(entry: string, calls: number): Promise<void> {
  const module = (await import(entry)) as { EventClient: typeof EventClient };
  const body = JSON.stringify(priceOrderAnswer(requestEvent));
  const transport = { send: () => Promise.resolve({ status: 200, body }), close: () => Promise.resolve() };
  const client = new module.EventClient({ transport });
  const { name, version, payload, identity, auth, metadata } = requestEvent;
  for (let call = 0; call < calls; call++) {
    const result = await client.sendEvent({ name, version, payload, identity, auth, metadata });
    if (result.kind !== 'success') throw new Error(`sendEvent answered ${result.kind}`);
  }
}

/** The main thread's instructions of one process making `calls` calls. */
async function countCalls(entry: string, calls: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'client-instructions-'));
  try {
    const run = spawnSync(
      'valgrind',
      [
        '-q',
        '--tool=callgrind',
        '--separate-threads=yes',
        '--dump-instr=no',
        `--callgrind-out-file=${join(dir, 'out.%p')}`,
        process.execPath,
        fileURLToPath(import.meta.url),
        childFlag,
        entry,
        String(calls),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (run.status !== 0) throw new Error(`the counted client exited with ${String(run.status)}`);
    // One process ran under valgrind (node starts no other): its files are out.<pid>-<thread>.
    const pid = Number(/^out\.(\d+)-/.exec((await readdir(dir)).find((name) => /^out\.\d+-/.test(name)) ?? '')?.[1]);
    return (await readCallgrindDump(dir, pid, 'final')).mainThreadInstructions;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === childFlag) {
  await runCalls(process.argv[3] ?? '', Number(process.argv[4]));
} else {
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    throw new Error('client-instructions needs valgrind on the PATH (Debian: apt-get install valgrind)');
  }
  const warmup = wholeNumberOption('warmup', 20_000);
  const calls = Math.max(1, wholeNumberOption('calls', 20_000));
  const rounds = Math.max(1, wholeNumberOption('rounds', 3));
  const builds = [
    { label: 'this workspace', entry: import.meta.resolve('@events-protocol/client') },
    ...process.argv
      .slice(2)
      .filter((argument) => !argument.startsWith('--'))
      .map((path) => ({ label: path, entry: pathToFileURL(resolve(path)).href })),
  ];
  const perCall = builds.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, build] of builds.entries()) {
      const before = await countCalls(build.entry, warmup);
      const after = await countCalls(build.entry, warmup + calls);
      perCall[index]?.push((after - before) / calls);
    }
  }
  const lines = [`${process.version}, main-thread instructions per sendEvent call (${calls} calls after ${warmup}):`];
  for (const [index, build] of builds.entries()) {
    const counts = perCall[index] ?? [];
    const ratio =
      index === 0
        ? ''
        : `, this/it ${median(counts.map((count, round) => (perCall[0]?.[round] ?? 0) / count)).toFixed(3)}`;
    lines.push(`  ${build.label}: ${Math.round(median(counts))} (rounds ${counts.map(Math.round).join(' ')})${ratio}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
