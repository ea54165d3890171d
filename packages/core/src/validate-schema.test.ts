import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import type { StandardSchemaV1 } from './standard-schema.js';
import { genericIssueCode, validateSchema } from './validate-schema.js';

const wrongUser = { user: { id: 1 } };

describe('validateSchema', () => {
  it('gives the output of zod classic and zod/mini synchronously, defaults and transforms applied', () => {
    expect(validateSchema(z.object({ n: z.string().transform(Number) }), { n: '4' })).toEqual({
      ok: true,
      value: { n: 4 },
    });
    expect(validateSchema(zm.object({ on: zm._default(zm.boolean(), true) }), {})).toEqual({
      ok: true,
      value: { on: true },
    });
  });

  it('lists issues with path, message and the validator code', () => {
    for (const schema of [
      z.object({ user: z.object({ id: z.string() }) }),
      zm.object({ user: zm.object({ id: zm.string() }) }),
    ]) {
      const checked = validateSchema(schema, wrongUser);
      if (checked instanceof Promise || checked.ok) throw new Error('expected synchronous issues');
      expect(checked.issues).toEqual([
        { path: ['user', 'id'], message: expect.any(String) as string, code: 'invalid_type' },
      ]);
    }
  });

  it('gives the generic code to an issue without one, and reads object path segments', () => {
    const handWritten: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'hand-written',
        validate: () => ({ issues: [{ message: 'bad', path: [{ key: 'user' }, 'id', 0] }, { message: 'root' }] }),
      },
    };
    expect(validateSchema(handWritten, 1)).toEqual({
      ok: false,
      issues: [
        { path: ['user', 'id', 0], message: 'bad', code: genericIssueCode },
        { path: [], message: 'root', code: genericIssueCode },
      ],
    });
  });

  it('awaits an asynchronous validator, and zod with an async refinement', async () => {
    const later: StandardSchemaV1<string> = {
      '~standard': {
        version: 1,
        vendor: 'hand-written',
        validate: async (value) => (value === 'ok' ? { value } : { issues: [{ message: 'no', path: [{ key: 'a' }] }] }),
      },
    };
    const pending = validateSchema(later, 'nope');
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual({ ok: false, issues: [{ path: ['a'], message: 'no', code: genericIssueCode }] });
    expect(await validateSchema(later, 'ok')).toEqual({ ok: true, value: 'ok' });
    const refined = z.string().refine(async (text) => Promise.resolve(text.length > 2), 'too short');
    expect(await validateSchema(refined, 'ab')).toMatchObject({ ok: false, issues: [{ message: 'too short' }] });
    expect(await validateSchema(refined, 'abc')).toEqual({ ok: true, value: 'abc' });
  });
});
