import { EventError, EventErrorType } from '@events-protocol/core';
import { createEventLogger, createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { Writable } from 'node:stream';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { listen } from '../support/http-server.js';

/** A pino destination that keeps every line. */
function capture(): { stream: Writable; text: () => string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => lines.join('') };
}

const secrets = ['AUTH-TOKEN-SECRET', 'PASSWORD-SECRET', 'WEBHOOK-SECRET', 'BEARER-SECRET', 'API-KEY-SECRET'];

describe('secrets', () => {
  it('never reach the log, whatever handlers log, nor any answer', async () => {
    const log = capture();
    const logger = createEventLogger({ level: 'debug' }, log.stream);
    const registry = new EventRegistry().register({
      name: 'account:login',
      handler: (event, context) => {
        // Careless logging: the whole event, credentials, headers, a subscription.
        context.logger.info({ event }, 'login attempt');
        context.logger.debug({
          password: 'PASSWORD-SECRET',
          user: { password: 'PASSWORD-SECRET', apiKey: 'API-KEY-SECRET' },
        });
        context.logger.warn({
          subscription: { secret: 'WEBHOOK-SECRET', headers: { authorization: 'Bearer BEARER-SECRET' } },
        });
        if (event.payload === 'fail') throw new EventError(EventErrorType.Unauthorized, { code: 'BAD_CREDENTIALS' });
        if (event.payload === 'crash') throw new Error('connection to postgres://db-primary:5432 refused');
        return { welcome: true };
      },
    });
    await using server = await listen(createEventServer(new EventProcessor(registry, { logger })));
    const answers: string[] = [];
    for (const payload of ['ok', 'fail', 'crash']) {
      const response = await request(`${server.origin}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer BEARER-SECRET' },
        body: JSON.stringify({
          name: 'account:login',
          version: 1,
          id: `id-${payload}`,
          flowId: 'f',
          payload,
          identity: { user: 'ada' },
          auth: { token: 'AUTH-TOKEN-SECRET' },
          metadata: {},
        }),
      });
      answers.push(await response.body.text());
    }
    const logged = log.text();
    expect(logged).toContain('login attempt');
    expect(logged).toContain('[redacted]');
    for (const secret of secrets)
      expect(logged, secret).not.toContain(secret.slice(0, secret.indexOf('-SECRET')) + '-SECRET"');
    for (const secret of ['AUTH-TOKEN-SECRET', 'WEBHOOK-SECRET', 'API-KEY-SECRET'])
      expect(logged).not.toContain(secret);
    // The unexpected error's message goes to the log for operators; its answer says nothing of it.
    expect(answers[2]).toContain('"name":"account:login:error"');
    expect(answers[2]).toContain('UNHANDLED_ERROR');
    for (const answer of answers) {
      for (const secret of secrets) expect(answer).not.toContain(secret);
      expect(answer).not.toMatch(/postgres:|at .+\.(ts|js):\d+/);
    }
  });
});
