import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';

const root = new URL('../../', import.meta.url);
const run = promisify(execFile);
// The examples start services under tsx: seconds alone, far more when other tests share the
// cores. The limits only end a hung run.

describe('the README', () => {
  it('shows the quick start exactly as examples/src/quick-start.ts holds it', async () => {
    const readme = await readFile(new URL('README.md', root), 'utf8');
    const quickStart = await readFile(new URL('examples/src/quick-start.ts', root), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${quickStart}\`\`\``);
  });

  it('quick start runs: a server, a typed call, the answer printed', async () => {
    const port = await freePort();
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--conditions=@events-protocol/source', 'examples/src/quick-start.ts'],
      { cwd: root, env: { ...process.env, PORT: String(port) }, timeout: 120_000 },
    );
    expect(stdout.trim()).toBe('Ada Lovelace');
  }, 150_000);

  it('demo prints every outcome it promises', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--conditions=@events-protocol/source', 'examples/src/demo.ts'],
      { cwd: root, timeout: 120_000 },
    );
    for (const outcome of [
      'outcome: success',
      'outcome: error (notFound)',
      'outcome: error (unauthorized)',
      'outcome: error (unprocessable)',
      'outcome: error (eventNotFound)',
      'outcome: error (badRequest)',
      '"name":"badProtocol"',
      '"name":"order:place:response"',
      '"name":"order:place:unprocessable"',
      'the subscriber received order:placed, signature verified',
      'same flowId as the order call: yes',
    ]) {
      expect(stdout).toContain(outcome);
    }
  }, 150_000);
});
