import { EventClient } from '@events-protocol/client';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtCli, repositoryRoot, runBuiltCli } from './run-built-cli.js';

const typeScriptModule = fileURLToPath(new URL('fixtures/echo-registry.ts', import.meta.url));

describe('events --version', () => {
  it('prints the version in the cli package.json and exits 0', async () => {
    const manifest = JSON.parse(
      await readFile(new URL('../../packages/cli/package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(await runBuiltCli(['--version'])).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
    expect((await runBuiltCli(['--help'])).stdout).toContain('--version');
  });
});

describe('events serve with a TypeScript module', () => {
  it('says how to run TypeScript instead of a loader error, exit 1', async () => {
    const result = await runBuiltCli(['serve', typeScriptModule, '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('events serve needs JavaScript: build');
    expect(result.stderr).toContain(`NODE_OPTIONS="--import tsx" events serve ${typeScriptModule}`);
  });

  it('serves it with the loader the message names', async () => {
    const child = spawn(process.execPath, [builtCli, 'serve', typeScriptModule, '--port', '0', '--log', 'silent'], {
      cwd: repositoryRoot,
      env: { ...process.env, NODE_OPTIONS: '--import tsx' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /events server on (\S+)/.exec(output);
          if (match?.[1] !== undefined) resolve(match[1]);
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('exit', (code) => reject(new Error(`events serve exited with ${String(code)}: ${output}`)));
      });
      const client = new EventClient({ url });
      const result = await client.sendEvent({ name: 'echo', payload: 'hi' });
      await client.close();
      expect(result).toMatchObject({ kind: 'success', event: { name: 'echo:response', payload: 'echo: hi' } });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
