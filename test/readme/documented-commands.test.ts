import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { documentedMarkdownFiles } from './typescript-blocks.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

/** The docs, examples and scripts a user copies commands from. */
function filesWithCommands(): string[] {
  const sources = ['examples/src', 'bench/src', 'scripts'].flatMap((directory) =>
    ts.sys
      .readDirectory(join(root, directory), ['.ts', '.sh'], ['**/node_modules'], undefined)
      .map((path) => path.slice(root.length)),
  );
  const benchDocs = ts.sys.readDirectory(join(root, 'bench'), ['.md'], undefined, undefined, 1);
  return [...documentedMarkdownFiles(root), ...benchDocs.map((path) => path.slice(root.length)), ...sources];
}

/** `npx pnpm` without `--yes`, or `pnpm` typed as a command (a line's start, a code span, "Run:"). */
const unattended = /npx (?!--yes )pnpm|(^[\s*#/>]*|`|Run: )pnpm(?!\s+workspace)[ @]/;

describe('the documented commands', () => {
  it('give the test command exactly as CI runs it', () => {
    const ci = read('.ci/run')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#') && !/^(set|cd) /.test(line));
    expect(ci).toHaveLength(1);
    expect(read('README.md')).toContain(`\n${ci[0] ?? ''}\n`);
  });

  it('run pnpm with npx --yes, so they work without a terminal to answer its prompt', () => {
    const prompting = filesWithCommands().flatMap((file) =>
      read(file)
        .split('\n')
        .flatMap((line, index) => (unattended.test(line) ? [`${file}:${index + 1}`] : [])),
    );
    expect(prompting).toEqual([]);
  });

  it('name scripts that exist, with `run` where pnpm has a command of the same name', () => {
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: object }).scripts);
    const builtIn = new Set(['install', 'test']);
    // pnpm commands that run instead of a script of that name unless `run` is written:
    // `pnpm docs` opens a package's page on npm, it never runs our docs script.
    const shadowing = new Set([
      'docs',
      'home',
      'pack',
      'publish',
      'update',
      'list',
      'outdated',
      'audit',
      'why',
      'root',
      'bin',
      'env',
      'store',
      'server',
      'link',
      'init',
    ]);
    const named = new Set<string>();
    const shadowed: string[] = [];
    for (const file of filesWithCommands()) {
      for (const match of read(file).matchAll(/npx --yes pnpm@[\d.]+ (run )?([a-z][\w:-]*)/g)) {
        const [, run, name] = match;
        if (name === undefined) continue;
        named.add(name);
        if (run === undefined && shadowing.has(name)) shadowed.push(`${file}: pnpm ${name}`);
      }
    }
    expect(named.size).toBeGreaterThan(3);
    for (const name of named) {
      expect(scripts.includes(name) || builtIn.has(name), `pnpm ${name}`).toBe(true);
    }
    expect(shadowed).toEqual([]);
  });
});
