import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @opentelemetry/api is an optional peer of the server and the client: an application without it
// must be able to load, type-check and run both. These tests install the built packages (run
// `npx tsc -b tsconfig.build.json` first) into a directory where the API cannot be found, with
// their real dependencies beside them, and use them from a separate Node process.
const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const ours = ['core', 'client', 'server'] as const;
const theirs: Record<string, string> = {
  undici: 'client',
  pino: 'server',
  uuid: 'core',
  zod: 'core',
  '@types/node': '',
};

/** Where `name` is installed for `packageName` (or the workspace root), followed to its real directory. */
function installedDirectory(name: string, from: string): string {
  const base = from === '' ? root : join(root, 'packages', from);
  const manifest = join(base, 'node_modules', name, 'package.json');
  const found = existsSync(manifest) ? manifest : join(root, 'node_modules', name, 'package.json');
  return dirname(realpathSync(found));
}

let app: string;

beforeAll(() => {
  app = mkdtempSync(join(realpathSync(tmpdir()), 'events-without-otel-'));
  for (const name of ours) {
    const source = join(root, 'packages', name);
    const target = join(app, 'node_modules', '@events-protocol', name);
    if (!existsSync(join(source, 'dist', 'index.js')))
      throw new Error(`build ${name} first: npx tsc -b tsconfig.build.json`);
    mkdirSync(target, { recursive: true });
    cpSync(join(source, 'dist'), join(target, 'dist'), { recursive: true });
    // As published: no sources, so no source condition to follow.
    const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const main = manifest.exports['.'] as Record<string, string>;
    delete main['@events-protocol/source'];
    writeFileSync(join(target, 'package.json'), JSON.stringify(manifest));
  }
  for (const [name, from] of Object.entries(theirs)) {
    const target = join(app, 'node_modules', name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(installedDirectory(name, from), target, 'dir');
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
});

afterAll(() => {
  rmSync(app, { recursive: true, force: true });
});

describe('without @opentelemetry/api installed', () => {
  it('loads the server and the client and answers a call, traced by nobody', async () => {
    writeFileSync(
      join(app, 'call.mjs'),
      `import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { EventClient } from '@events-protocol/client';
import { createRequire } from 'node:module';
let found;
try {
  found = createRequire(import.meta.resolve('@events-protocol/server')).resolve('@opentelemetry/api');
} catch (error) {
  found = error.code;
}
const registry = new EventRegistry().register({ name: 'ping', handler: (event) => ({ pong: event.metadata }) });
const server = createEventServer(new EventProcessor(registry));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const client = new EventClient({ url: 'http://127.0.0.1:' + server.address().port + '/events' });
const result = await client.sendEvent({ name: 'ping' });
process.stdout.write(JSON.stringify({ found, kind: result.kind, payload: result.event.payload }));
await client.close();
server.close();
`,
    );
    const { stdout } = await run(process.execPath, ['call.mjs'], { cwd: app, env: { PATH: process.env['PATH'] } });
    // The API really is out of reach of the packages, and the call works, with nothing traced.
    expect(JSON.parse(stdout)).toEqual({ found: 'MODULE_NOT_FOUND', kind: 'success', payload: { pong: {} } });
  });

  it('type-checks an application against the packages, libraries included', async () => {
    writeFileSync(
      join(app, 'app.ts'),
      `import { createEventServer, EventProcessor, EventRegistry, type ProcessEventOptions } from '@events-protocol/server';
import { EventClient, type SendResult } from '@events-protocol/client';
const processor = new EventProcessor(new EventRegistry().register({ name: 'ping', handler: () => 'pong' }));
const options: ProcessEventOptions = { traceCarrier: { traceparent: 'x' } };
export const answer = processor.processEvent('{}', options);
export const server = createEventServer(processor, { headersTimeoutMs: 5000 });
export const sent: Promise<SendResult> = new EventClient({ url: 'http://127.0.0.1/events' }).sendEvent({ name: 'ping' });
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2023',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['app.ts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const checked = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app }).then(
      () => '',
      (error: unknown) => String((error as { stdout?: unknown }).stdout),
    );
    expect(checked).toBe('');
  }, 120_000);
});
