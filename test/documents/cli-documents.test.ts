import { defineEvent } from '@events-protocol/core';
import {
  asyncApiDocument,
  createEventServer,
  describeEvents,
  EventProcessor,
  EventRegistry,
} from '@events-protocol/server';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCliInProcess } from '../cli/run-cli-in-process.js';
import { versionedRegistry } from './demo-services.js';
import { asyncApiFindings, latestVersionNotice, openApiProblems } from './document-checks.js';

let directory = '';
let url = '';
let close: () => Promise<void> = () => Promise.resolve();

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'events-diff-'));
  const server = createEventServer(new EventProcessor(versionedRegistry()), { discovery: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
});
afterAll(async () => {
  await close();
  await rm(directory, { recursive: true, force: true });
});

describe('events describe', () => {
  it('--asyncapi prints the server’s AsyncAPI document, which the official parser accepts', async () => {
    const run = await runCliInProcess(['describe', url, '--asyncapi', '--title', 'Users', '--doc-version', '2.0.0']);
    expect(run).toMatchObject({ code: 0, err: '' });
    const document = JSON.parse(run.out) as { info: object; operations: object; servers: object };
    expect(document.info).toEqual({ title: 'Users', version: '2.0.0' });
    expect(Object.keys(document.operations)).toEqual(['user-get.v1', 'user-get.v2']);
    expect(Object.values(document.servers)).toEqual([{ host: new URL(url).host, protocol: 'http' }]);
    const findings = await asyncApiFindings(document);
    expect(findings.filter((finding) => finding.code !== latestVersionNotice)).toEqual([]);
  });

  it('--openapi prints an OpenAPI document the validator accepts', async () => {
    const run = await runCliInProcess(['describe', url, '--openapi']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.out) as { servers: unknown; paths: object };
    expect(document.servers).toEqual([{ url: new URL(url).origin }]);
    expect(Object.keys(document.paths)).toEqual(['/events']);
    expect(await openApiProblems(document)).toEqual([]);
  });

  it('refuses both at once', async () => {
    expect((await runCliInProcess(['describe', url, '--asyncapi', '--openapi'])).code).toBe(2);
  });
});

const profile = z.object({ id: z.string(), name: z.string(), email: z.string() });
const update = (payload: z.ZodType, response: z.ZodType, version = 1) =>
  defineEvent({ name: 'profile:update', version, payload, response });

function registryOf(...contracts: ReturnType<typeof update>[]): EventRegistry {
  const registry = new EventRegistry();
  for (const contract of contracts) registry.on(contract, () => ({ id: '1', name: 'Ada', email: 'a@b.c' }));
  return registry;
}

async function documentFile(name: string, registry: EventRegistry, asyncapi = false): Promise<string> {
  const path = join(directory, `${name}.json`);
  const document = asyncapi ? asyncApiDocument(registry, { title: name, version: '1' }) : describeEvents(registry);
  await writeFile(path, JSON.stringify(document));
  return path;
}

describe('events diff', () => {
  const base = registryOf(update(z.object({ id: z.string(), name: z.string() }), profile));

  it('calls a field removed from the response breaking, and exits 1', async () => {
    const removed = registryOf(update(z.object({ id: z.string(), name: z.string() }), profile.omit({ email: true })));
    const run = await runCliInProcess([
      'diff',
      await documentFile('base', base),
      await documentFile('removed', removed),
    ]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^BREAKING\s+profile:update@1\s+response\.email: removed/m);
  });

  it('calls a field removed from a closed payload breaking, read from AsyncAPI documents', async () => {
    const closed = registryOf(update(z.strictObject({ id: z.string(), name: z.string() }), profile));
    const narrowed = registryOf(update(z.strictObject({ id: z.string() }), profile));
    const run = await runCliInProcess([
      'diff',
      await documentFile('closed', closed, true),
      await documentFile('narrowed', narrowed, true),
    ]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^BREAKING\s+profile:update@1\s+payload\.name: removed from a closed object/m);
  });

  it('calls an added optional payload field compatible, and exits 0', async () => {
    const added = registryOf(
      update(z.object({ id: z.string(), name: z.string(), bio: z.string().optional() }), profile),
    );
    const run = await runCliInProcess(['diff', await documentFile('base', base), await documentFile('added', added)]);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toMatch(/^ok\s+profile:update@1\s+payload\.bio: added as optional/m);
    expect(run.out).toContain('0 breaking');
  });

  it('calls a new required payload field breaking', async () => {
    const required = registryOf(update(z.object({ id: z.string(), name: z.string(), bio: z.string() }), profile));
    const run = await runCliInProcess([
      'diff',
      await documentFile('base', base),
      await documentFile('required', required),
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out)).toMatchObject({
      breaking: true,
      changes: [{ severity: 'breaking', event: 'profile:update@1', at: 'payload.bio' }],
    });
  });

  it('calls a removed version breaking, comparing a running server with a file', async () => {
    const onlyV2 = new EventRegistry().on(
      defineEvent({
        name: 'user:get',
        version: 2,
        payload: z.object({ id: z.string(), withRoles: z.boolean().optional() }),
        response: z.object({ id: z.string(), name: z.string(), roles: z.array(z.enum(['admin', 'member'])) }),
        errors: { notFound: z.object({ id: z.string() }), forbidden: z.object({ reason: z.string() }) },
      }),
      (event) => ({ id: event.payload.id, name: 'Ada', roles: [] }),
    );
    const run = await runCliInProcess(['diff', url, await documentFile('only-v2', onlyV2)]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^BREAKING\s+user:get@1\s+version 1 removed/m);
    expect(run.out).not.toMatch(/user:get@2/);
  });

  it('calls a removed declared error breaking', async () => {
    const withoutForbidden = new EventRegistry().on(
      defineEvent({
        name: 'user:get',
        version: 2,
        payload: z.object({ id: z.string(), withRoles: z.boolean().optional() }),
        response: z.object({ id: z.string(), name: z.string(), roles: z.array(z.enum(['admin', 'member'])) }),
        errors: { notFound: z.object({ id: z.string() }) },
      }),
      (event) => ({ id: event.payload.id, name: 'Ada', roles: [] }),
    );
    const before = await documentFile('versioned', versionedRegistry(), true);
    const run = await runCliInProcess([
      'diff',
      before,
      await documentFile('without-forbidden', withoutForbidden, true),
    ]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^BREAKING\s+user:get@2\s+errors\.forbidden: declared error removed/m);
  });

  it('finds no changes between a server and its own AsyncAPI document', async () => {
    const run = await runCliInProcess(['diff', url, `${url}/asyncapi.json`]);
    expect(run).toMatchObject({ code: 0, out: 'no changes\n' });
  });
});
