/**
 * What a large registry costs the type checker: generates a project of `count` contracts with
 * their handlers and typed calls (bench/src/type-check-fixtures.ts), runs `tsc --noEmit
 * --extendedDiagnostics` on it and reads the figures, with TypeScript 5.9 (`tsc`, what the
 * repository builds with) or TypeScript 7 (the native compiler, what oRPC publishes its figures with).
 *
 *   node bench/dist/type-check-cost.js [--count=3000] [--fixture=standard-schema|orpc|registry|zod-only]
 *                                      [--compiler=typescript|typescript-native] [--trace=<dir>] [--keep]
 *
 * `--trace=<dir>` also writes `tsc --generateTrace` there (TypeScript 5.9), for `@typescript/analyze-trace`.
 *
 * The project is written under bench/.tmp/ so it resolves the workspace's built packages the way a
 * user's project resolves installed ones (their `.d.ts`, not the sources). Build first
 * (`tsc -b tsconfig.build.json`).
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileOnEveryCpu } from './every-cpu.js';
import { median } from './measure.js';
import { typeCheckFixtures, writeTypeCheckProject, type TypeCheckFixture } from './type-check-fixtures.js';

export type { TypeCheckFixture } from './type-check-fixtures.js';

/** Which TypeScript checks the project: 5.9 (`typescript`) or the native 7 (`typescript-native`). */
export type TypeCheckCompiler = 'typescript' | 'typescript-native';

/** What `tsc --extendedDiagnostics` reported for one generated project. */
export interface TypeCheckCost {
  readonly contracts: number;
  /** Which project was checked. */
  readonly fixture: TypeCheckFixture;
  /** Which compiler checked it, and its version (`tsc 5.9.3`, `tsc 7.0.2`). */
  readonly compiler: TypeCheckCompiler;
  readonly compilerVersion: string;
  /** The type checker's own time ("Check time"), in seconds. */
  readonly checkSeconds: number;
  /** Everything tsc did: reading, parsing, binding and checking ("Total time"), in seconds. */
  readonly totalSeconds: number;
  /** The compiler's memory at the end ("Memory used"), in MB. */
  readonly memoryMb: number;
  /** How many types the checker made ("Types"). */
  readonly types: number;
  /** How many generic instantiations the checker made ("Instantiations"). */
  readonly instantiations: number;
  /** Each round's total time, in seconds, where the figures are the medians of several rounds. */
  readonly roundTotalSeconds?: readonly number[];
}

function figure(output: string, label: string): number {
  const match = new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(output);
  if (match?.[1] === undefined) throw new Error(`tsc --extendedDiagnostics printed no '${label}':\n${output}`);
  return Number(match[1]);
}

/** Where a compiler's `bin/tsc` is, and its version. */
function compilerAt(compiler: TypeCheckCompiler): { tsc: string; version: string } {
  const manifest = createRequire(import.meta.url).resolve(`${compiler}/package.json`);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { tsc: join(dirname(manifest), 'bin', 'tsc'), version };
}

/**
 * Type-checks a written project once (`tsc --extendedDiagnostics`, and `--generateTrace` into
 * `trace` when given) and reads the figures.
 *
 * @throws {Error} when the project does not type-check, with what tsc printed.
 */
export async function typeCheckProject(
  directory: string,
  count: number,
  options: { fixture: TypeCheckFixture; compiler?: TypeCheckCompiler; trace?: string },
): Promise<TypeCheckCost> {
  const compiler = options.compiler ?? 'typescript';
  const { tsc, version } = compilerAt(compiler);
  const traceArguments = options.trace === undefined ? [] : ['--generateTrace', options.trace];
  let output: string;
  try {
    // On every core: the bench runs pinned to one, and tsc 7 checks on several threads.
    const result = await execFileOnEveryCpu(
      process.execPath,
      [tsc, '-p', directory, '--extendedDiagnostics', ...traceArguments],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    output = result.stdout;
  } catch (failure) {
    const { stdout, stderr } = failure as { stdout?: string; stderr?: string };
    const printed = `${stdout ?? ''}${stderr ?? ''}`;
    throw new Error(
      `the generated ${options.fixture} project of ${count} contracts does not type-check with tsc ${version} (${directory}):\n${printed === '' ? String(failure) : printed.slice(0, 4000)}`,
    );
  }
  return {
    contracts: count,
    fixture: options.fixture,
    compiler,
    compilerVersion: version,
    checkSeconds: figure(output, 'Check time'),
    totalSeconds: figure(output, 'Total time'),
    memoryMb: Math.round(figure(output, 'Memory used') / 1024),
    types: figure(output, 'Types'),
    instantiations: figure(output, 'Instantiations'),
  };
}

/** Generates the project of `count` contracts, type-checks it once and reports what it cost. */
export async function measureTypeCheckCost(
  count: number,
  options: { fixture?: TypeCheckFixture; compiler?: TypeCheckCompiler; trace?: string; keep?: boolean } = {},
): Promise<TypeCheckCost> {
  const bench = fileURLToPath(new URL('../', import.meta.url));
  const fixture = options.fixture ?? 'standard-schema';
  const directory = join(bench, '.tmp', `type-check-${fixture}-${count}`);
  await rm(directory, { recursive: true, force: true });
  await writeTypeCheckProject(directory, count, fixture);
  // A failed check leaves the project for a look.
  const cost = await typeCheckProject(directory, count, {
    fixture,
    ...(options.compiler === undefined ? {} : { compiler: options.compiler }),
    ...(options.trace === undefined ? {} : { trace: options.trace }),
  });
  if (options.keep !== true) await rm(directory, { recursive: true, force: true });
  return cost;
}

/**
 * One figure per project out of several rounds: the median time, check time and memory of the
 * rounds (each its own median), the type and instantiation counts (the same in every round), and
 * each round's total time.
 */
export function medianTypeCheckCost(rounds: readonly TypeCheckCost[]): TypeCheckCost {
  const [first] = rounds;
  if (first === undefined) throw new Error('no type-check round to take the median of');
  return {
    ...first,
    totalSeconds: median(rounds.map((round) => round.totalSeconds)),
    checkSeconds: median(rounds.map((round) => round.checkSeconds)),
    memoryMb: median(rounds.map((round) => round.memoryMb)),
    roundTotalSeconds: rounds.map((round) => round.totalSeconds),
  };
}

/**
 * What the bench measures: ours with Standard Schema types and oRPC's same-size project, with
 * both compilers, then ours with zod schemas, each project written once and checked in `rounds`
 * interleaved rounds (a round checks every project once), so that ours and oRPC's see the same
 * machine and one slow moment does not decide a figure; the medians are reported.
 */
export async function measureTypeCheckCosts(count: number, rounds = 3): Promise<TypeCheckCost[]> {
  const bench = fileURLToPath(new URL('../', import.meta.url));
  const fixtures = ['standard-schema', 'orpc', 'registry'] as const;
  const projects = fixtures.map((fixture) => ({
    fixture,
    directory: join(bench, '.tmp', `type-check-${fixture}-${count}`),
  }));
  const checks = (['typescript-native', 'typescript'] as const).flatMap((compiler) =>
    projects.map((project) => ({ ...project, compiler, rounds: [] as TypeCheckCost[] })),
  );
  try {
    for (const { fixture, directory } of projects) {
      await rm(directory, { recursive: true, force: true });
      await writeTypeCheckProject(directory, count, fixture);
    }
    for (let round = 0; round < rounds; round++) {
      for (const check of checks) {
        check.rounds.push(
          await typeCheckProject(check.directory, count, { fixture: check.fixture, compiler: check.compiler }),
        );
      }
    }
  } finally {
    for (const { directory } of projects) await rm(directory, { recursive: true, force: true });
  }
  return checks.map((check) => medianTypeCheckCost(check.rounds));
}

/** One line of figures, as the bench prints them. */
export function typeCheckCostLine(cost: TypeCheckCost): string {
  const rounds =
    cost.roundTotalSeconds === undefined
      ? ''
      : ` (rounds ${cost.roundTotalSeconds.map((seconds) => seconds.toFixed(2)).join(', ')} s)`;
  return `type-check ${cost.fixture} × ${cost.contracts} (tsc ${cost.compilerVersion}): total ${cost.totalSeconds.toFixed(2)} s${rounds} (check ${cost.checkSeconds.toFixed(2)} s), ${cost.memoryMb} MB, ${cost.types} types, ${cost.instantiations} instantiations`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const option = (name: string): string | undefined =>
    process.argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3);
  const count = Number(option('count') ?? 3000);
  const fixture = (option('fixture') ?? 'standard-schema') as TypeCheckFixture;
  if (!typeCheckFixtures.includes(fixture)) throw new Error(`--fixture must be one of ${typeCheckFixtures.join(', ')}`);
  const compilerOption = option('compiler') ?? 'typescript';
  if (compilerOption !== 'typescript' && compilerOption !== 'typescript-native') {
    throw new Error('--compiler must be typescript or typescript-native');
  }
  const compiler: TypeCheckCompiler = compilerOption;
  const trace = option('trace');
  const cost = await measureTypeCheckCost(count, {
    fixture,
    compiler,
    keep: process.argv.includes('--keep'),
    ...(trace === undefined ? {} : { trace }),
  });
  process.stdout.write(`${typeCheckCostLine(cost)}\n`);
}
