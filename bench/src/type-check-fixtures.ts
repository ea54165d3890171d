/**
 * The generated projects whose type-check cost the bench measures: `count` contracts over
 * modules of 100, each with its handler and one typed client call that reads the typed answer.
 *
 * - `standard-schema`: our contracts with Standard Schema types (`{} as StandardSchemaV1<…>`), the
 *   way oRPC measures its own type-check cost, so that no validator's types are counted;
 * - `orpc`: the same payloads, responses, handlers and calls written with oRPC (`os.input().output().handler()`,
 *   a router of one object per module, one `RouterClient<typeof router>` imported by the calls), the baseline;
 * - `registry`: our contracts with zod schemas, what most of our users write;
 * - `zod-only`: the same zod schemas without contracts, handlers or calls, their input and output
 *   types read once each: the floor of zod's own types.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Which project is generated. */
export type TypeCheckFixture = 'standard-schema' | 'orpc' | 'registry' | 'zod-only';

/** Every fixture, as the command line names them. */
export const typeCheckFixtures: readonly TypeCheckFixture[] = ['standard-schema', 'orpc', 'registry', 'zod-only'];

const perModule = 100;

interface Shapes {
  readonly payload: string;
  readonly response: string;
}

/** The payload and response of contract `index` as TypeScript types (what the schemas declare). */
function typeShapes(index: number): Shapes {
  return {
    payload: `{ id${index}: string; count: number; tags?: string[] }`,
    response: `{ id${index}: string; total: number; kind: 'a' | 'b' }`,
  };
}

/** The same payload and response as zod schemas. */
function zodShapes(index: number): Shapes {
  return {
    payload: `z.object({ id${index}: z.string(), count: z.number().int(), tags: z.array(z.string()).optional() })`,
    response: `z.object({ id${index}: z.string(), total: z.number(), kind: z.enum(['a', 'b']) })`,
  };
}

function moduleRange(module: number, count: number): number[] {
  const start = module * perModule;
  return Array.from({ length: Math.min(count, start + perModule) - start }, (_, offset) => start + offset);
}

function contractsModule(indexes: number[], schemas: 'zod' | 'standard'): string {
  const lines =
    schemas === 'zod'
      ? ["import { defineEvent } from '@events-protocol/core';", "import { z } from 'zod';"]
      : ["import { defineEvent, type StandardSchemaV1 } from '@events-protocol/core';"];
  for (const index of indexes) {
    const shapes = schemas === 'zod' ? zodShapes(index) : typeShapes(index);
    const payload = schemas === 'zod' ? shapes.payload : `{} as StandardSchemaV1<${shapes.payload}>`;
    const response = schemas === 'zod' ? shapes.response : `{} as StandardSchemaV1<${shapes.response}>`;
    lines.push(
      '',
      `export const event${index} = defineEvent({`,
      `  name: 'resource${index}:get',`,
      `  version: ${(index % 3) + 1},`,
      `  payload: ${payload},`,
      `  response: ${response},`,
      '});',
    );
  }
  return `${lines.join('\n')}\n`;
}

function handlersModule(module: number, indexes: number[]): string {
  // A service registers its handlers module by module, each beside its contracts.
  const lines = [
    "import type { EventRegistry } from '@events-protocol/server';",
    `import * as contracts from './contracts-${module}.js';`,
    '',
    `export function registerHandlers${module}(registry: EventRegistry): void {`,
  ];
  for (const index of indexes) {
    lines.push(
      `  registry.on(contracts.event${index}, (event) => ({ id${index}: event.payload.id${index}, total: event.payload.count, kind: 'a' }));`,
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function registryModule(modules: number): string {
  const lines = ["import { EventRegistry } from '@events-protocol/server';"];
  for (let module = 0; module < modules; module++) {
    lines.push(`import { registerHandlers${module} } from './handlers-${module}.js';`);
  }
  lines.push('', 'export const registry = new EventRegistry();');
  for (let module = 0; module < modules; module++) lines.push(`registerHandlers${module}(registry);`);
  return `${lines.join('\n')}\n`;
}

function callsModule(module: number, indexes: number[]): string {
  const lines = [
    "import type { EventClient } from '@events-protocol/client';",
    `import * as contracts from './contracts-${module}.js';`,
    '',
    `export async function callModule${module}(client: EventClient): Promise<number> {`,
    '  let sum = 0;',
  ];
  for (const index of indexes) {
    lines.push(
      '  {',
      `    const result = await client.send(contracts.event${index}, { id${index}: 'x', count: 1 });`,
      `    if (result.kind === 'success') sum += result.payload.total + result.payload.id${index}.length;`,
      '  }',
    );
  }
  lines.push('  return sum;', '}');
  return `${lines.join('\n')}\n`;
}

function orpcRouterModule(module: number, indexes: number[]): string {
  const lines = ["import { os, type Schema } from '@orpc/server';", '', `export const router${module} = {`];
  for (const index of indexes) {
    const shapes = typeShapes(index);
    lines.push(
      `  resource${index}: os`,
      `    .input({} as Schema<${shapes.payload}, ${shapes.payload}>)`,
      `    .output({} as Schema<${shapes.response}, ${shapes.response}>)`,
      `    .handler(({ input }) => ({ id${index}: input.id${index}, total: input.count, kind: 'a' as const })),`,
    );
  }
  lines.push('};');
  return `${lines.join('\n')}\n`;
}

function orpcRootModule(modules: number): string {
  const lines: string[] = [];
  for (let module = 0; module < modules; module++) {
    lines.push(`import { router${module} } from './router-${module}.js';`);
  }
  lines.push('', 'export const router = {');
  for (let module = 0; module < modules; module++) lines.push(`  module${module}: router${module},`);
  lines.push('};');
  return `${lines.join('\n')}\n`;
}

function orpcCallsModule(module: number, indexes: number[]): string {
  const lines = [
    "import { client } from './client.js';",
    '',
    `export async function callModule${module}(): Promise<number> {`,
    '  let sum = 0;',
  ];
  for (const index of indexes) {
    lines.push(
      '  {',
      `    const result = await client.module${module}.resource${index}({ id${index}: 'x', count: 1 });`,
      `    sum += result.total + result.id${index}.length;`,
      '  }',
    );
  }
  lines.push('  return sum;', '}');
  return `${lines.join('\n')}\n`;
}

function orpcClientModule(): string {
  // As oRPC's own type-check benchmark writes its client: one typed client, imported where it is called.
  return [
    "import { createORPCClient } from '@orpc/client';",
    "import { RPCLink } from '@orpc/client/fetch';",
    "import type { RouterClient } from '@orpc/server';",
    "import type { router } from './router.js';",
    '',
    "export const client: RouterClient<typeof router> = createORPCClient(new RPCLink({ url: 'http://localhost:3000/rpc' }));",
    '',
  ].join('\n');
}

function zodSchemaModule(indexes: number[]): string {
  const lines = ["import { z } from 'zod';", ''];
  for (const index of indexes) {
    const shapes = zodShapes(index);
    lines.push(
      `export const payload${index} = ${shapes.payload};`,
      `export const response${index} = ${shapes.response};`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function zodReadsModule(module: number, indexes: number[]): string {
  // What any typed use of the schemas pays: the four types a handler and a call need, read once each.
  const lines = ["import type { z } from 'zod';", `import * as schemas from './contracts-${module}.js';`];
  for (const index of indexes) {
    lines.push(
      '',
      `export function read${index}(`,
      `  sent: z.input<typeof schemas.payload${index}>, handled: z.output<typeof schemas.payload${index}>,`,
      `  returned: z.input<typeof schemas.response${index}>, received: z.output<typeof schemas.response${index}>,`,
      '): number {',
      `  return sent.count + handled.id${index}.length + returned.total + received.id${index}.length;`,
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The files of one module of the fixture: name → text. */
function moduleFiles(fixture: TypeCheckFixture, module: number, indexes: number[]): Record<string, string> {
  switch (fixture) {
    case 'standard-schema':
    case 'registry':
      return {
        [`contracts-${module}.ts`]: contractsModule(indexes, fixture === 'registry' ? 'zod' : 'standard'),
        [`handlers-${module}.ts`]: handlersModule(module, indexes),
        [`calls-${module}.ts`]: callsModule(module, indexes),
      };
    case 'orpc':
      return {
        [`router-${module}.ts`]: orpcRouterModule(module, indexes),
        [`calls-${module}.ts`]: orpcCallsModule(module, indexes),
      };
    case 'zod-only':
      return {
        [`contracts-${module}.ts`]: zodSchemaModule(indexes),
        [`reads-${module}.ts`]: zodReadsModule(module, indexes),
      };
  }
}

/**
 * Writes the generated project of `count` contracts into `directory` (its `src/`, `tsconfig.json`
 * and `package.json`); the directory must resolve `zod`, `@orpc/server` and the `@events-protocol`
 * packages.
 */
export async function writeTypeCheckProject(
  directory: string,
  count: number,
  fixture: TypeCheckFixture,
): Promise<void> {
  await rm(join(directory, 'src'), { recursive: true, force: true });
  await mkdir(join(directory, 'src'), { recursive: true });
  const modules = Math.ceil(count / perModule);
  const files: Record<string, string> = {};
  for (let module = 0; module < modules; module++) {
    Object.assign(files, moduleFiles(fixture, module, moduleRange(module, count)));
  }
  if (fixture === 'standard-schema' || fixture === 'registry') files['registry.ts'] = registryModule(modules);
  if (fixture === 'orpc') {
    files['router.ts'] = orpcRootModule(modules);
    files['client.ts'] = orpcClientModule();
  }
  for (const [name, text] of Object.entries(files)) await writeFile(join(directory, 'src', name), text);
  // What a user's project sets: strict, NodeNext; declaration files are not checked (theirs or ours).
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
