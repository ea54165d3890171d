import { describe, expect, it } from 'vitest';
import { defaultConnectionTimeoutMs, defaultTimeoutMs, readClientSettings } from './client-options.js';

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was refused');
}

describe('readClientSettings', () => {
  it('reads timeouts as one number or a pair, with defaults', () => {
    expect(readClientSettings({})).toMatchObject({
      timeoutMs: defaultTimeoutMs,
      connectMs: defaultConnectionTimeoutMs,
      responseMs: defaultConnectionTimeoutMs,
    });
    expect(readClientSettings({ timeouts: 300 })).toMatchObject({ connectMs: 300, responseMs: 300 });
    expect(readClientSettings({ timeouts: { connectMs: 150, responseMs: 600 } })).toMatchObject({
      connectMs: 150,
      responseMs: 600,
    });
  });

  it('still takes the deprecated connectionTimeouts, but not together with timeouts', () => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the alias is what is tested
    expect(readClientSettings({ connectionTimeouts: { connectMs: 1000, responseMs: 100 } })).toMatchObject({
      connectMs: 1000,
      responseMs: 100,
    });
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the alias is what is tested
    expect(refusal(() => readClientSettings({ timeouts: 100, connectionTimeouts: 100 }))).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringMatching(/connectionTimeouts is its deprecated name/),
    });
  });

  it('refuses timeouts that are not positive finite ms, naming the option', () => {
    for (const timeouts of [0, -5, Number.NaN, Infinity, { connectMs: 100, responseMs: 0 }]) {
      expect(refusal(() => readClientSettings({ timeouts }))).toMatchObject({
        code: 'INVALID_OPTIONS',
        message: expect.stringMatching(/^timeouts/),
      });
    }
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the alias is what is tested
    expect(refusal(() => readClientSettings({ connectionTimeouts: -1 }))).toMatchObject({
      message: expect.stringMatching(/^connectionTimeouts/),
    });
    expect(refusal(() => readClientSettings({ timeout: 0 }))).toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  it('sends the headers given, never their content-type or deadline, and JSON as content-type', () => {
    const settings = readClientSettings({
      headers: { 'x-tenant': 'acme', 'Content-Type': 'text/plain', 'X-Events-Deadline-Ms': '5' },
    });
    expect(settings.headers).toEqual(['x-tenant', 'acme', 'content-type', 'application/json']);
  });
});
