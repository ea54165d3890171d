/**
 * What a large registry costs the type checker: generates a project of `count` contracts
 * (`name@version`, zod payload and response schemas, spread over modules of 100), a registry that
 * handles each with an inferred handler, and one typed client call per contract that reads the
 * typed payload; then runs `tsc --noEmit --extendedDiagnostics` on it and reads the figures.
 *
 *   node bench/dist/type-check-cost.js [--count=3000] [--fixture=zod-only] [--trace=<dir>] [--keep]
 *
 * `--fixture=zod-only` writes the same zod schemas without contracts, handlers or calls (the input and output
 * type of each read once: what a handler and a call need): the floor that zod's own types cost.
 * `--trace=<dir>` also writes `tsc --generateTrace` there, for `@typescript/analyze-trace`.
 *
 * The project is written under bench/.tmp/ so it resolves the workspace's built packages the way a
 * user's project resolves installed ones (their `.d.ts`, not the sources). Build first
 * (`tsc -b tsconfig.build.json`).
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What a generated project holds: contracts with handlers and typed calls, or only their zod schemas. */
export type TypeCheckFixture = 'registry' | 'zod-only';

/** What `tsc --extendedDiagnostics` reported for the generated project. */
export interface TypeCheckCost {
  readonly contracts: number;
  /** Which project was checked; `registry` unless said otherwise. */
  readonly fixture?: TypeCheckFixture;
  /** The type checker's own time ("Check time"), in seconds. */
  readonly checkSeconds: number;
  /** Everything tsc did: reading, parsing, binding and checking ("Total time"), in seconds. */
  readonly totalSeconds: number;
  /** The compiler's memory at the end ("Memory used"), in MB. */
  readonly memoryMb: number;
  /** How many types the checker made ("Types"). */
  readonly types: number;
  /** How many generic instantiations the checker made ("Instantiations"). */
  readonly instantiations?: number;
}

const perModule = 100;

function payloadSchema(index: number): string {
  return `z.object({ id${index}: z.string(), count: z.number().int(), tags: z.array(z.string()).optional() })`;
}

function responseSchema(index: number): string {
  return `z.object({ id${index}: z.string(), total: z.number(), kind: z.enum(['a', 'b']) })`;
}

function contractModule(start: number, end: number): string {
  const lines = ["import { defineEvent } from '@events-protocol/core';", "import { z } from 'zod';", ''];
  for (let index = start; index < end; index++) {
    lines.push(
      `export const event${index} = defineEvent({`,
      `  name: 'resource${index}:get',`,
      `  version: ${(index % 3) + 1},`,
      `  payload: ${payloadSchema(index)},`,
      `  response: ${responseSchema(index)},`,
      '});',
    );
  }
  return `${lines.join('\n')}\n`;
}

function moduleImports(count: number): string[] {
  const modules = Math.ceil(count / perModule);
  return Array.from({ length: modules }, (_, module) => `import * as m${module} from './contracts-${module}.js';`);
}

function handlersModule(count: number): string {
  // One statement per registration, as modules of a real service write them (a chain of thousands
  // of calls would only measure the parser's recursion).
  const lines = ["import { EventRegistry } from '@events-protocol/server';", ...moduleImports(count)];
  lines.push('', 'export const registry = new EventRegistry();');
  for (let index = 0; index < count; index++) {
    const module = Math.floor(index / perModule);
    lines.push(
      `registry.on(m${module}.event${index}, (event) => ({ id${index}: event.payload.id${index}, total: event.payload.count, kind: 'a' }));`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function callsModule(count: number): string {
  // One function per module of contracts: a single function of thousands of calls is past what
  // TypeScript analyses (TS2563), and no one writes one.
  const modules = Math.ceil(count / perModule);
  const lines = ["import type { EventClient } from '@events-protocol/client';", ...moduleImports(count)];
  for (let module = 0; module < modules; module++) {
    lines.push(
      '',
      `export async function callModule${module}(client: EventClient): Promise<number> {`,
      '  let sum = 0;',
    );
    for (let index = module * perModule; index < Math.min(count, (module + 1) * perModule); index++) {
      lines.push(
        `  {`,
        `    const result = await client.send(m${module}.event${index}, { id${index}: 'x', count: 1 });`,
        `    if (result.kind === 'success') sum += result.payload.total + result.payload.id${index}.length;`,
        `  }`,
      );
    }
    lines.push('  return sum;', '}');
  }
  return `${lines.join('\n')}\n`;
}

function schemaModule(start: number, end: number): string {
  const lines = ["import { z } from 'zod';", ''];
  for (let index = start; index < end; index++) {
    lines.push(
      `export const payload${index} = ${payloadSchema(index)};`,
      `export const response${index} = ${responseSchema(index)};`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function readsModule(count: number): string {
  // What any typed use of the schemas pays: the four types a handler and a call need, read once each.
  const lines = ["import type { z } from 'zod';", ...moduleImports(count)];
  for (let index = 0; index < count; index++) {
    const module = `m${Math.floor(index / perModule)}`;
    lines.push(
      `export function read${index}(`,
      `  sent: z.input<typeof ${module}.payload${index}>, handled: z.output<typeof ${module}.payload${index}>,`,
      `  returned: z.input<typeof ${module}.response${index}>, received: z.output<typeof ${module}.response${index}>,`,
      '): number {',
      `  return sent.count + handled.id${index}.length + returned.total + received.id${index}.length;`,
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes the generated project of `count` contracts into `directory` (its `src/`, `tsconfig.json`
 * and `package.json`); the directory must resolve `zod` and the `@events-protocol` packages.
 */
export async function writeTypeCheckProject(
  directory: string,
  count: number,
  fixture: TypeCheckFixture = 'registry',
): Promise<void> {
  await rm(join(directory, 'src'), { recursive: true, force: true });
  await mkdir(join(directory, 'src'), { recursive: true });
  const modules = Math.ceil(count / perModule);
  for (let module = 0; module < modules; module++) {
    const start = module * perModule;
    const end = Math.min(count, start + perModule);
    const text = fixture === 'registry' ? contractModule(start, end) : schemaModule(start, end);
    await writeFile(join(directory, 'src', `contracts-${module}.ts`), text);
  }
  if (fixture === 'registry') {
    await writeFile(join(directory, 'src', 'handlers.ts'), handlersModule(count));
    await writeFile(join(directory, 'src', 'calls.ts'), callsModule(count));
  } else {
    await writeFile(join(directory, 'src', 'reads.ts'), readsModule(count));
  }
  // What a user's project sets: strict, NodeNext, no skipLibCheck shortcuts for its own files.
  const tsconfig = {
    compilerOptions: {
      strict: true,
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
    include: ['src'],
  };
  await writeFile(join(directory, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  await writeFile(join(directory, 'package.json'), JSON.stringify({ type: 'module', private: true }));
}

function figure(output: string, label: string): number {
  const match = new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(output);
  if (match?.[1] === undefined) throw new Error(`tsc --extendedDiagnostics printed no '${label}':\n${output}`);
  return Number(match[1]);
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
  options: { fixture?: TypeCheckFixture; trace?: string } = {},
): Promise<TypeCheckCost> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const traceArguments = options.trace === undefined ? [] : ['--generateTrace', options.trace];
  let output: string;
  try {
    const result = await run(process.execPath, [tsc, '-p', directory, '--extendedDiagnostics', ...traceArguments], {
      maxBuffer: 16 * 1024 * 1024,
    });
    output = result.stdout;
  } catch (failure) {
    const { stdout, stderr } = failure as { stdout?: string; stderr?: string };
    const printed = `${stdout ?? ''}${stderr ?? ''}`;
    throw new Error(
      `the generated project of ${count} contracts does not type-check (${directory}):\n${printed === '' ? String(failure) : printed}`,
    );
  }
  return {
    contracts: count,
    fixture: options.fixture ?? 'registry',
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
  options: { fixture?: TypeCheckFixture; trace?: string; keep?: boolean } = {},
): Promise<TypeCheckCost> {
  const bench = fileURLToPath(new URL('../', import.meta.url));
  const fixture = options.fixture ?? 'registry';
  const directory = join(bench, '.tmp', `type-check-${fixture}-${count}`);
  await rm(directory, { recursive: true, force: true });
  await writeTypeCheckProject(directory, count, fixture);
  // A failed check leaves the project for a look.
  const cost = await typeCheckProject(directory, count, {
    fixture,
    ...(options.trace ? { trace: options.trace } : {}),
  });
  if (options.keep !== true) await rm(directory, { recursive: true, force: true });
  return cost;
}

/** One line of figures, as the bench prints them. */
export function typeCheckCostLine(cost: TypeCheckCost): string {
  const what = cost.fixture === 'zod-only' ? 'bare zod schemas of' : 'contracts';
  const instantiations = cost.instantiations === undefined ? '' : `, ${cost.instantiations} instantiations`;
  return `type-check ${what} ${cost.contracts}: total ${cost.totalSeconds.toFixed(2)} s (check ${cost.checkSeconds.toFixed(2)} s), ${cost.memoryMb} MB, ${cost.types} types${instantiations}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const option = (name: string): string | undefined =>
    process.argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3);
  const count = Number(option('count') ?? 3000);
  const fixture: TypeCheckFixture = option('fixture') === 'zod-only' ? 'zod-only' : 'registry';
  const trace = option('trace');
  const cost = await measureTypeCheckCost(count, {
    fixture,
    keep: process.argv.includes('--keep'),
    ...(trace === undefined ? {} : { trace }),
  });
  process.stdout.write(`${typeCheckCostLine(cost)}\n`);
}
