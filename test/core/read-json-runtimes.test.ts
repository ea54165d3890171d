import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonWithOwnParser } from '../../packages/core/src/own-json-parser.js';
import { missingRuntime, runtimes } from '../support/runtime-server.js';
import { brokenDocument, document } from './json-documents.js';
import { outcome } from './json-outcome.js';

// Bun (JavaScriptCore) and Deno (V8) give revivers source text too: there readJson takes the
// source-text path, and it must read every text as our own parser does here in Node.

const run = promisify(execFile);
const texts = [
  ...fc.sample(document, { numRuns: 1500, seed: 20261201 }),
  ...fc.sample(brokenDocument, { numRuns: 1500, seed: 20261202 }),
  '{"id":65484548474984654,"__proto__":{"n":-9223372036854775808},"a":1e400,"a":0}',
];

async function outcomesIn(name: keyof typeof runtimes) {
  const scratch = await mkdtemp(join(tmpdir(), 'read-json-runtime-'));
  try {
    const file = join(scratch, 'texts.json');
    await writeFile(file, JSON.stringify(texts));
    const script = join(import.meta.dirname, 'read-json-runtime-check.ts');
    const { stdout } = await run(runtimes[name].binary, [...runtimes[name].args(script), file], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      hasSourceText: boolean;
      readJson: string[];
      sourceText: string[];
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

for (const name of ['bun', 'deno'] as const) {
  const missing = missingRuntime(name);
  if (missing !== undefined) console.warn(`skipping readJson on ${name}: ${missing}`);
  describe.skipIf(missing !== undefined)(`readJson on ${name}`, () => {
    it('takes the source-text path and reads every text as our own parser does in Node', async () => {
      const report = await outcomesIn(name);
      expect(report.hasSourceText).toBe(true);
      // A SyntaxError's words come from the runtime's JSON.parse (our own parser uses it for a
      // string's escapes): compared by class only. Values and JsonNumberErrors exactly.
      const comparable = (read: string) => (read.startsWith('throws SyntaxError') ? 'throws SyntaxError' : read);
      const own = texts.map((text) => comparable(outcome(parseJsonWithOwnParser, text)));
      expect(texts.filter((_, index) => comparable(report.sourceText[index]!) !== own[index])).toEqual([]);
      expect(texts.filter((_, index) => comparable(report.readJson[index]!) !== own[index])).toEqual([]);
    }, 120_000);
  });
}
