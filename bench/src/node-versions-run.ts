/**
 * `npx --yes pnpm@10 bench` itself: runs the groups on each asked-for Node.js version in turn, each a child
 * process on that version's binary pinned to CPU 0 (as `npx --yes pnpm@10 bench` pins itself; the servers it
 * starts go to CPU 1), and writes each version's section into the report as soon as its run ends,
 * keeping the sections of the versions not run. The type-check group runs once, in the first
 * version's child: its figures are TypeScript's, and every section of the run shows them.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchArguments } from './bench-arguments.js';
import type { VersionRun } from './measure.js';
import { nodeBinary, type NodeBinary } from './node-versions.js';
import { mergeSections } from './node-versions-results.js';
import { resultsSvg, sectionMarkdown } from './report.js';

const benchDirectory = fileURLToPath(new URL('../', import.meta.url));

/** Where the report goes: `--out`, else bench/RESULTS.md, or bench/.tmp/RESULTS.quick.md for `--quick`. */
export function reportFile(options: BenchArguments): string {
  return resolve(options.out ?? join(benchDirectory, options.quick ? '.tmp/RESULTS.quick.md' : 'RESULTS.md'));
}

/** A version's chart beside the report: `results-node22.svg` beside RESULTS.md. */
export function chartName(report: string, major: number): string {
  return `${basename(report, '.md').toLowerCase()}-node${major}.svg`;
}

/**
 * About how long a run takes on a quiet 2-core machine, in seconds per group of one version: the
 * server and client groups follow from their rounds (11 and 3 scenarios, plus start-up); the
 * others are estimates from runs on a loaded machine (delivery took 4.5 min there with pg-boss's
 * 500 ms polls most of it, streams 1.9 min, the type-check group 2.3 min for one round on one
 * core, about as long as its three rounds on every core take now), rounded down for a quiet one.
 */
export function expectedSeconds(
  options: BenchArguments,
  group: string,
  load: { warmupSeconds: number; roundSeconds: number; rounds: number },
): number {
  const perScenario = load.warmupSeconds + load.rounds * load.roundSeconds;
  const full: Record<string, number> = {
    server: 11 * perScenario + 15,
    client: 3 * perScenario + 5,
    'in-process': 60,
    memory: 40,
    delivery: 240,
    streams: 90,
    console: 30,
    types: 120,
  };
  const quick: Record<string, number> = {
    'in-process': 10,
    memory: 20,
    delivery: 60,
    streams: 20,
    console: 15,
    types: 40,
  };
  return options.quick ? (quick[group] ?? full[group] ?? 0) : (full[group] ?? 0);
}

function runChild(binary: NodeBinary, script: string, childArguments: readonly string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('taskset', ['-c', '0', binary.path, script, ...childArguments], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: binary.env,
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`the run on Node ${binary.major} exited with ${signal ?? String(code)}`)),
    );
  });
}

/**
 * Runs `script` (bench/dist/run.js) once per version of `options.nodeVersions` and writes the
 * sections; resolves with the versions whose run failed (their old sections are kept).
 */
export async function runOnNodeVersions(
  options: BenchArguments,
  script: string,
  groups: readonly string[],
  load: { warmupSeconds: number; roundSeconds: number; rounds: number },
): Promise<number[]> {
  const report = reportFile(options);
  const perVersion = groups.reduce((sum, group) => sum + expectedSeconds(options, group, load), 0);
  const typesOnce = groups.includes('types') ? expectedSeconds(options, 'types', load) : 0;
  const total = options.nodeVersions.length * (perVersion - typesOnce) + typesOnce;
  process.stdout.write(
    `bench: ${groups.join(', ')} on Node ${options.nodeVersions.join(', ')}: expect about ${Math.ceil(total / 60)} min on a quiet 2-core machine (about ${Math.ceil((perVersion - typesOnce) / 60)} per version, the type-check group once) → ${report}\n`,
  );
  const scratch = await mkdtemp(join(tmpdir(), 'events-bench-versions-'));
  const failed: number[] = [];
  let typeCheck: Pick<VersionRun, 'typeCheck' | 'nodeVersion'> | undefined;
  try {
    for (const major of options.nodeVersions) {
      const json = join(scratch, `node-${major}.json`);
      const passOn = process.argv.slice(2).filter((argument) => !argument.startsWith('--node='));
      try {
        const binary = nodeBinary(major);
        process.stdout.write(`\n== Node ${major} (${binary.path}) ==\n`);
        await runChild(binary, script, [
          ...passOn,
          `--child-json=${json}`,
          ...(typeCheck === undefined ? [] : ['--no-types']),
        ]);
        const measured = JSON.parse(await readFile(json, 'utf8')) as VersionRun;
        if (measured.typeCheck !== undefined) typeCheck ??= measured;
        const run: VersionRun =
          measured.typeCheck === undefined && typeCheck?.typeCheck !== undefined
            ? { ...measured, typeCheck: typeCheck.typeCheck, typeCheckMeasuredOn: typeCheck.nodeVersion }
            : measured;
        await writeSection(report, major, run, options.command);
      } catch (error) {
        failed.push(major);
        process.stderr.write(`bench: Node ${major}: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return failed;
}

async function writeSection(report: string, major: number, run: VersionRun, command: string): Promise<void> {
  const chart = chartName(report, major);
  const existing = await readFile(report, 'utf8').catch(() => undefined);
  await mkdir(dirname(report), { recursive: true });
  await writeFile(join(dirname(report), chart), resultsSvg(run.results));
  await writeFile(report, mergeSections(existing, new Map([[major, sectionMarkdown(run, { command, chart })]])));
  process.stdout.write(`bench: wrote the Node ${major} section of ${report} and ${chart}\n`);
}
