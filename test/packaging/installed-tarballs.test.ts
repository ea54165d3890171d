import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A user's view of the packages: core, client and server packed as they are published, installed
// with npm into a fresh project next to zod, then type-checked and run from there. The root test
// command builds (`tsc -b tsconfig.build.json`) before vitest runs; run that first when running
// this file alone.

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const packed = ['core', 'client', 'server'] as const;
const limitMs = 180_000;

// pnpm pack turns `workspace:*` ranges into the versions they point at, as publishing does;
// npm pack would leave them, and npm cannot install those.
const packageManager = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { packageManager: string })
  .packageManager;

const userProgram = `
import { EventClient } from '@events-protocol/client';
import { defineEvent } from '@events-protocol/core';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { z } from 'zod';

const add = defineEvent({
  name: 'numbers:add',
  payload: z.object({ a: z.number(), b: z.number() }),
  response: z.object({ sum: z.number() }),
});

const server = createEventServer(
  new EventProcessor(new EventRegistry().on(add, (event) => ({ sum: event.payload.a + event.payload.b }))),
);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
if (address === null || typeof address === 'string') throw new Error('the server has no port');
const client = new EventClient({ url: \`http://127.0.0.1:\${address.port}/events\` });
try {
  const result = await client.send(add, { a: 2, b: 3 });
  const sum: number | undefined = result.kind === 'success' ? result.payload.sum : undefined;
  console.log(JSON.stringify({ kind: result.kind, sum }));
} finally {
  await client.close();
  server.close();
}
`;

describe('core, client and server installed from their tarballs', () => {
  let project = '';

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'events-protocol-user-'));
    const tarballs = join(project, 'tarballs');
    for (const name of packed) {
      await run('npx', ['--yes', packageManager, 'pack', '--pack-destination', tarballs], {
        cwd: join(root, 'packages', name),
        timeout: limitMs,
      });
    }
    const files = (await readdir(tarballs)).filter((file) => file.endsWith('.tgz')).map((file) => `./tarballs/${file}`);
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'user-project', private: true, type: 'module' }),
    );
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...files, 'zod@^4.1.0'], {
      cwd: project,
      timeout: limitMs,
    });
    await writeFile(join(project, 'main.ts'), userProgram);
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          // Node's types come from the workspace; the user's project would install @types/node.
          typeRoots: [join(root, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['main.ts'],
      }),
    );
  }, limitMs);

  afterAll(async () => {
    if (project !== '') await rm(project, { recursive: true, force: true });
  });

  it(
    'type-check against the published declarations, and one event goes from client to server',
    async () => {
      await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], {
        cwd: project,
        timeout: limitMs,
      });
      const { stdout } = await run(process.execPath, ['main.js'], { cwd: project, timeout: 30_000 });
      expect(JSON.parse(stdout)).toEqual({ kind: 'success', sum: 5 });
    },
    limitMs,
  );
});
