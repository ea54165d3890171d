/**
 * What a large registry costs the type checker: generates a project of `count` contracts
 * (`name@version`, zod payload and response schemas, spread over modules of 100), a registry that
 * handles each with an inferred handler, and one typed client call per contract that reads the
 * typed payload; then runs `tsc --noEmit --extendedDiagnostics` on it and reads the figures.
 *
 *   node bench/dist/type-check-cost.js [--count=3000]
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

/** What `tsc --extendedDiagnostics` reported for the generated project. */
export interface TypeCheckCost {
  readonly contracts: number;
  /** The type checker's own time ("Check time"), in seconds. */
  readonly checkSeconds: number;
  /** Everything tsc did: reading, parsing, binding and checking ("Total time"), in seconds. */
  readonly totalSeconds: number;
  /** The compiler's memory at the end ("Memory used"), in MB. */
  readonly memoryMb: number;
  /** How many types the checker made ("Types"). */
  readonly types: number;
}

const perModule = 100;

function contractModule(start: number, end: number): string {
  const lines = ["import { defineEvent } from '@events-protocol/core';", "import { z } from 'zod';", ''];
  for (let index = start; index < end; index++) {
    lines.push(
      `export const event${index} = defineEvent({`,
      `  name: 'resource${index}:get',`,
      `  version: ${(index % 3) + 1},`,
      `  payload: z.object({ id${index}: z.string(), count: z.number().int(), tags: z.array(z.string()).optional() }),`,
      `  response: z.object({ id${index}: z.string(), total: z.number(), kind: z.enum(['a', 'b']) }),`,
      '});',
    );
  }
  return `${lines.join('\n')}\n`;
}

function handlersModule(count: number): string {
  // One statement per registration, as modules of a real service write them (a chain of thousands
  // of calls would only measure the parser's recursion).
  const modules = Math.ceil(count / perModule);
  const lines = ["import { EventRegistry } from '@events-protocol/server';"];
  for (let module = 0; module < modules; module++)
    lines.push(`import * as m${module} from './contracts-${module}.js';`);
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
  const lines = ["import type { EventClient } from '@events-protocol/client';"];
  for (let module = 0; module < modules; module++)
    lines.push(`import * as m${module} from './contracts-${module}.js';`);
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

function figure(output: string, label: string): number {
  const match = new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(output);
  if (match?.[1] === undefined) throw new Error(`tsc --extendedDiagnostics printed no '${label}':\n${output}`);
  return Number(match[1]);
}

/** Generates the project of `count` contracts, type-checks it once and reports what it cost. */
export async function measureTypeCheckCost(count: number): Promise<TypeCheckCost> {
  const bench = fileURLToPath(new URL('../', import.meta.url));
  const directory = join(bench, '.tmp', `type-check-${count}`);
  await rm(directory, { recursive: true, force: true });
  await mkdir(join(directory, 'src'), { recursive: true });
  const modules = Math.ceil(count / perModule);
  for (let module = 0; module < modules; module++) {
    const start = module * perModule;
    await writeFile(
      join(directory, 'src', `contracts-${module}.ts`),
      contractModule(start, Math.min(count, start + perModule)),
    );
  }
  await writeFile(join(directory, 'src', 'handlers.ts'), handlersModule(count));
  await writeFile(join(directory, 'src', 'calls.ts'), callsModule(count));
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
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  let output: string;
  try {
    const result = await run(process.execPath, [tsc, '-p', directory, '--extendedDiagnostics'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    output = result.stdout;
  } catch (failure) {
    // The project stays for a look.
    const { stdout, stderr } = failure as { stdout?: string; stderr?: string };
    const printed = `${stdout ?? ''}${stderr ?? ''}`;
    throw new Error(
      `the generated project of ${count} contracts does not type-check (${directory}):\n${printed === '' ? String(failure) : printed}`,
    );
  }
  if (!process.argv.includes('--keep')) await rm(directory, { recursive: true, force: true });
  return {
    contracts: count,
    checkSeconds: figure(output, 'Check time'),
    totalSeconds: figure(output, 'Total time'),
    memoryMb: Math.round(figure(output, 'Memory used') / 1024),
    types: figure(output, 'Types'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const countArgument = process.argv.find((argument) => argument.startsWith('--count='));
  const count = countArgument === undefined ? 3000 : Number(countArgument.slice('--count='.length));
  const cost = await measureTypeCheckCost(count);
  process.stdout.write(
    `type-check ${cost.contracts} contracts: total ${cost.totalSeconds.toFixed(2)} s (check ${cost.checkSeconds.toFixed(2)} s), ${cost.memoryMb} MB, ${cost.types} types\n`,
  );
}
