import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { runCliInProcess } from './run-cli-in-process.js';

describe('events topics apply', () => {
  let redis: RedisServer;
  let directory: string;
  beforeAll(async () => {
    [redis, directory] = await Promise.all([startRedisServer(), mkdtemp(join(tmpdir(), 'topics-cli-'))]);
  });
  afterAll(async () => {
    await redis.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('creates what a YAML configuration needs once, then reports that everything exists', async () => {
    const file = join(directory, 'topics.yaml');
    await writeFile(
      file,
      [
        'outbox:',
        `  store: sqlite:${join(directory, 'outbox.db')}`,
        'topics:',
        '  - topic: orders',
        '    type: redis',
        `    endpoint: ${redis.url}`,
        '    options: { group: fulfilment }',
        '  - topic: partners',
        '    type: http',
        '    endpoint: https://partners.example.com/events',
        '',
      ].join('\n'),
    );
    const first = await runCliInProcess(['topics', 'apply', file, '--no-color']);
    expect(first.code).toBe(0);
    expect(first.out).toContain('created  outbox table outbox_events');
    expect(first.out).toContain('created  redis stream events:orders  (topic orders)');
    expect(first.out).toContain('created  consumer group fulfilment on events:orders  (topic orders)');
    expect(first.out).toContain('3 created for 2 topics');
    const second = await promisify(execFile)(process.execPath, ['packages/cli/dist/cli.js', 'topics', 'apply', file]);
    expect(second.stdout).toBe('everything existed already\n');
    expect((await runCliInProcess(['topics', 'apply', file, '--check'])).out).toBe(`${file}: 2 topics, valid\n`);
  });

  it('names the topic and field of each configuration error, exit code 1', async () => {
    const file = join(directory, 'broken.json');
    await writeFile(
      file,
      JSON.stringify({
        topics: [
          { topic: 'orders', type: 'redis', endpoint: 'http://x' },
          { topic: 'jobs', type: 'sqs', endpoint: 'x' },
        ],
      }),
    );
    const result = await runCliInProcess(['topics', 'apply', file]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('invalid topics configuration');
    expect(result.err).toContain('topics[0] (orders).endpoint: must be a redis:// URL');
    expect(result.err).toContain("topics[1] (jobs).type: unknown type 'sqs'");
    expect((await runCliInProcess(['topics', 'apply'])).code).toBe(2);
    expect((await runCliInProcess(['topics', 'remove', file])).err).toContain("unknown topics command 'remove'");
  });
});
