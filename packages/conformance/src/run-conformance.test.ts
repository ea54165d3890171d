import { describe, expect, it } from 'vitest';
import { ConformanceErrorCode } from './conformance-error.js';
import { runConformance, type ConformanceOptions } from './run-conformance.js';

describe('runConformance options', () => {
  it.each<[Partial<ConformanceOptions>, string]>([
    [{ url: 'not a url' }, 'url "not a url" is not a URL'],
    [{ url: 'ftp://example.com/events' }, 'url ftp://example.com/events is not http(s)'],
    [{ echoEvent: '' }, 'echoEvent must be a non-empty name'],
    [{ echoVersion: 0 }, 'echoVersion must be an integer ≥ 1, got 0'],
    [{ timeoutMs: -1 }, 'timeoutMs must be a positive number, got -1'],
    [{ concurrency: 1.5 }, 'concurrency must be an integer ≥ 1, got 1.5'],
  ])('refuses %j before sending anything', async (options, message) => {
    await expect(runConformance({ url: 'http://127.0.0.1:1/events', ...options })).rejects.toMatchObject({
      name: 'ConformanceError',
      code: ConformanceErrorCode.InvalidOptions,
      message,
    });
  });
});
