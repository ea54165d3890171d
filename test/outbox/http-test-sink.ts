import { writeJson } from '@events-protocol/core';
import type { Sink } from '@events-protocol/publish';
import { request } from 'undici';

/**
 * A minimal webhook sink for the outbox tests: POSTs the event as JSON and fails on any status
 * but 2xx. (The publish package's HttpSink is the product; this keeps the outbox tests on their own.)
 */
export function httpTestSink(url: string): Sink {
  return {
    name: 'http-test',
    async publish(event, options) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...options?.attributes };
      if (options?.topic !== undefined) headers['x-topic'] = options.topic;
      const response = await request(url, {
        method: 'POST',
        body: writeJson(event),
        headers,
        ...(options?.signal === undefined ? {} : { signal: options.signal }),
      });
      await response.body.dump();
      if (response.statusCode < 200 || response.statusCode > 299) {
        throw new Error(`the receiver answered HTTP ${response.statusCode}`);
      }
    },
    healthCheck: () => Promise.resolve(true),
  };
}
