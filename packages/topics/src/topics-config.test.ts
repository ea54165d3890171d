import type { Sink } from '@events-protocol/publish';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { loadTopicsConfig, readTopicsConfig } from './topics-config.js';
import { isTopicsError, type TopicsError } from './topics-error.js';

function issuesOf(work: () => unknown): TopicsError['issues'] {
  try {
    work();
  } catch (error) {
    if (isTopicsError(error)) return error.issues;
    throw error;
  }
  throw new Error('expected a TopicsError');
}

describe('readTopicsConfig', () => {
  it('reads topics with their options and defaults', () => {
    const config = readTopicsConfig({
      outbox: { store: 'sqlite:outbox.db' },
      topics: [
        { topic: 'orders', type: 'redis', endpoint: 'redis://localhost:6379', options: { maxLength: 1000 } },
        {
          topic: 'billing',
          type: 'http',
          endpoint: 'https://billing.example.com/hooks',
          options: { auth: { type: 'bearer', token: 't' } },
        },
        { topic: 'audit', type: 'events', endpoint: 'http://audit:8080/events' },
      ],
    });
    expect(config.publishTimeoutMs).toBe(500);
    expect(config.topics.map((target) => [target.topic, target.type])).toEqual([
      ['orders', 'redis'],
      ['billing', 'http'],
      ['audit', 'events'],
    ]);
    expect(config.topics[0]?.options).toEqual({ maxLength: 1000, group: 'consumers' });
  });

  it('names the topic and the field of every problem', () => {
    const issues = issuesOf(() =>
      readTopicsConfig({
        topics: [
          { topic: 'orders', type: 'redis', endpoint: 'http://not-redis' },
          { topic: 'billing', type: 'http', endpoint: 'ftp://x', options: { retries: 3 } },
          { topic: 'orders', type: 'kafka', endpoint: 'kafka://x' },
        ],
      }),
    );
    expect(issues).toEqual([
      { path: 'topics[0] (orders).endpoint', message: 'must be a redis:// URL' },
      { path: 'topics[1] (billing).endpoint', message: 'must be an http(s) URL' },
      { path: 'topics[1] (billing).options', message: expect.stringContaining('retries') },
      { path: 'topics[2] (orders).topic', message: 'declared twice' },
      { path: 'topics[2] (orders).type', message: expect.stringContaining("unknown type 'kafka'") },
    ]);
    expect(
      issuesOf(() => readTopicsConfig({ topics: [{ topic: 'bad name', type: 'http', endpoint: 'http://x' }] })),
    ).toEqual([{ path: 'topics[0] (bad name).topic', message: 'letters, digits and . _ : - only' }]);
    expect(issuesOf(() => readTopicsConfig({ topics: [], publishTimeoutMs: -1 })).map((issue) => issue.path)).toEqual([
      'publishTimeoutMs',
      'topics',
    ]);
  });

  it('accepts a custom target type with its own options schema', () => {
    const sink: Sink = { name: 'queue', publish: () => Promise.resolve(), healthCheck: () => Promise.resolve(true) };
    const queue = { options: z.strictObject({ queue: z.string() }), createSink: () => sink };
    const config = readTopicsConfig(
      { topics: [{ topic: 'jobs', type: 'queue', endpoint: 'amqp://mq', options: { queue: 'jobs' } }] },
      { queue },
    );
    expect(config.topics[0]?.options).toEqual({ queue: 'jobs' });
    expect(
      issuesOf(() =>
        readTopicsConfig({ topics: [{ topic: 'jobs', type: 'queue', endpoint: 'amqp://mq' }] }, { queue }),
      ),
    ).toEqual([{ path: 'topics[0] (jobs).options.queue', message: expect.any(String) }]);
  });

  it('loads YAML and JSON files, and names the file in its errors', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'topics-config-'));
    onTestFinished(() => rm(directory, { recursive: true, force: true }));
    await writeFile(
      join(directory, 'topics.yaml'),
      'outbox:\n  store: sqlite:outbox.db\npublishTimeoutMs: 250\ntopics:\n  - topic: orders\n    type: http\n    endpoint: https://orders.example.com/in\n',
    );
    const config = await loadTopicsConfig(join(directory, 'topics.yaml'));
    expect(config).toMatchObject({ publishTimeoutMs: 250, topics: [{ topic: 'orders', type: 'http' }] });
    await writeFile(join(directory, 'topics.json'), '{"topics": [{"topic": "orders", "type": "http"}]}');
    await expect(loadTopicsConfig(join(directory, 'topics.json'))).rejects.toThrow(
      /topics\.json: invalid topics configuration: topics\[0\] \(orders\)\.endpoint/,
    );
    await writeFile(join(directory, 'broken.yml'), 'topics: [unclosed');
    await expect(loadTopicsConfig(join(directory, 'broken.yml'))).rejects.toThrow(/broken\.yml is not valid YAML/);
    await expect(loadTopicsConfig(join(directory, 'missing.json'))).rejects.toThrow(/cannot read/);
  });
});
