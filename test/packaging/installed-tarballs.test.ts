import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUserProject,
  installLimitMs,
  npmInstall,
  root,
  run,
  typeCheck,
  type UserProject,
} from './user-project.js';

// A user's view of the packages: core, client and server packed as they are published, installed
// with npm into a fresh project next to zod, then type-checked and run from there. The root test
// command builds (`tsc -b tsconfig.build.json`) before vitest runs; run that first when running
// this file alone.

const limitMs = installLimitMs;

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
  let project: UserProject | undefined;

  beforeAll(async () => {
    project = await createUserProject('user', ['core', 'client', 'server']);
    await npmInstall(project, [...project.tarballs, 'zod@^4.1.0']);
    const directory = project.directory;
    await writeFile(join(directory, 'main.ts'), userProgram);
    await writeFile(
      join(directory, 'tsconfig.json'),
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
    await project?.remove();
  });

  it(
    'type-check against the published declarations, and one event goes from client to server',
    async () => {
      if (project === undefined) throw new Error('the project was not installed');
      expect(await typeCheck(project)).toBe('');
      const { stdout } = await run(process.execPath, ['main.js'], { cwd: project.directory, timeout: 30_000 });
      expect(JSON.parse(stdout)).toEqual({ kind: 'success', sum: 5 });
    },
    limitMs,
  );
});
