import { asyncApiDocument, openApiDocument } from '@events-protocol/server';
import { describe, expect, it } from 'vitest';
import { catalogRegistry, ordersPublished, ordersRegistry, versionedRegistry } from './demo-services.js';
import { asyncApiFindings, latestVersionNotice, openApiProblems } from './document-checks.js';

const services = {
  catalog: { registry: catalogRegistry, published: [] },
  orders: { registry: ordersRegistry, published: ordersPublished },
  versioned: { registry: versionedRegistry, published: [] },
} as const;

describe.each(Object.entries(services))('the %s service', (_name, service) => {
  const options = {
    title: 'Demo',
    version: '1.0.0',
    servers: [{ url: 'http://localhost:8080' }],
    published: service.published,
  };

  it('gives an AsyncAPI 3.0.0 document the official parser finds nothing wrong with', async () => {
    const findings = await asyncApiFindings(asyncApiDocument(service.registry(), options));
    // A 3.0.0 document gets one notice (severity information) that 3.1.0 exists, and nothing else.
    expect(findings.filter((finding) => finding.code !== latestVersionNotice)).toEqual([]);
  });

  it('gives an AsyncAPI 3.1.0 document with no diagnostics of any severity', async () => {
    const findings = await asyncApiFindings(
      asyncApiDocument(service.registry(), { ...options, asyncApiVersion: '3.1.0' }),
    );
    expect(findings).toEqual([]);
  });

  it('gives an OpenAPI 3.1 document the validator accepts', async () => {
    expect(await openApiProblems(openApiDocument(service.registry(), options))).toEqual([]);
  });
});

describe('a contract with two versions, typed errors and a deprecation', () => {
  const asyncApi = asyncApiDocument(versionedRegistry(), { title: 'Users', version: '2.0.0' }) as unknown as {
    operations: Record<
      string,
      {
        action: string;
        summary?: string;
        tags?: unknown;
        'x-deprecation'?: unknown;
        reply: { messages: { $ref: string }[] };
      }
    >;
    channels: Record<string, { messages: Record<string, { $ref: string }> }>;
    components: { messages: Record<string, { name: string; payload: { properties: Record<string, unknown> } }> };
  };

  it('has one request/reply operation per name and version, with unique ids', () => {
    expect(Object.keys(asyncApi.operations).sort()).toEqual(['user-get.v1', 'user-get.v2']);
    expect(asyncApi.operations['user-get.v1']?.action).toBe('receive');
  });

  it('answers with the response, the declared errors and the protocol errors', () => {
    const replyNames = (id: string): string[] =>
      (asyncApi.operations[id]?.reply.messages ?? []).map((reference) => {
        const key = reference.$ref.split('/').pop() ?? '';
        const messageId = asyncApi.channels[id]?.messages[key]?.$ref.split('/').pop() ?? '';
        return asyncApi.components.messages[messageId]?.name ?? '?';
      });
    expect(replyNames('user-get.v2')).toEqual([
      'user:get:response',
      'user:get:notFound',
      'user:get:forbidden',
      'user:get:badRequest',
      'user:get:error',
      'eventNotFound',
      'badProtocol',
    ]);
    expect(replyNames('user-get.v1')).not.toContain('user:get:notFound');
    const notFound = asyncApi.components.messages['user-get.v2.notFound']?.payload.properties['payload'];
    expect(notFound).toMatchObject({ properties: { parameters: { properties: { id: { type: 'string' } } } } });
  });

  it('marks the deprecated version with its sunset', () => {
    expect(asyncApi.operations['user-get.v1']).toMatchObject({
      tags: [{ name: 'deprecated' }],
      'x-deprecation': { sunset: '2027-06-30', note: 'use version 2' },
    });
    expect(asyncApi.operations['user-get.v1']?.summary).toContain('sunset 2027-06-30');
    expect(asyncApi.operations['user-get.v2']?.tags).toBeUndefined();
  });

  it('posts a oneOf over both versions in OpenAPI, the deprecated one flagged', () => {
    const openApi = openApiDocument(versionedRegistry(), { title: 'Users', version: '2.0.0' }) as unknown as {
      paths: Record<
        string,
        {
          post: {
            requestBody: {
              content: Record<string, { schema: { oneOf: { $ref: string }[]; discriminator?: unknown } }>;
            };
          };
        }
      >;
      components: { schemas: Record<string, { deprecated?: boolean; properties: Record<string, unknown> }> };
    };
    const body = openApi.paths['/events']?.post.requestBody.content['application/json']?.schema;
    expect(body?.oneOf).toEqual([
      { $ref: '#/components/schemas/user-get.v1.request' },
      { $ref: '#/components/schemas/user-get.v2.request' },
    ]);
    // One name in two versions: `name` alone cannot discriminate, the fixed name and version do.
    expect(body?.discriminator).toBeUndefined();
    expect(openApi.components.schemas['user-get.v1.request']).toMatchObject({
      deprecated: true,
      properties: { name: { const: 'user:get' }, version: { const: 1 } },
    });
    expect(openApi.components.schemas['user-get.v2.request']?.deprecated).toBeUndefined();
  });
});

describe('published events', () => {
  it('are send operations on their channels, webhooks with the signature headers', () => {
    const document = asyncApiDocument(ordersRegistry(), {
      title: 'Orders',
      version: '1.0.0',
      published: ordersPublished,
    }) as unknown as {
      operations: Record<string, { action: string; channel: { $ref: string } }>;
      channels: Record<string, { address: string | null }>;
      components: { messages: Record<string, { headers?: { required: string[] } }> };
    };
    const sends = Object.values(document.operations).filter((operation) => operation.action === 'send');
    expect(sends).toHaveLength(2);
    const addresses = sends.map(
      (operation) => document.channels[operation.channel.$ref.split('/').pop() ?? '']?.address,
    );
    expect(addresses).toEqual([null, 'orders']);
    expect(document.components.messages['order-placed.v1.webhook']?.headers?.required).toEqual([
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
    ]);
  });

  it('appear as OpenAPI webhooks with required Standard Webhooks headers', () => {
    const document = openApiDocument(ordersRegistry(), {
      title: 'Orders',
      version: '1.0.0',
      published: ordersPublished,
    }) as unknown as {
      webhooks: Record<string, { post: { parameters: { name: string; in: string; required: boolean }[] } }>;
    };
    expect(Object.keys(document.webhooks)).toEqual(['order:placed v1']);
    expect(document.webhooks['order:placed v1']?.post.parameters).toEqual([
      expect.objectContaining({ name: 'webhook-id', in: 'header', required: true }),
      expect.objectContaining({ name: 'webhook-timestamp', in: 'header', required: true }),
      expect.objectContaining({ name: 'webhook-signature', in: 'header', required: true }),
    ]);
  });
});
