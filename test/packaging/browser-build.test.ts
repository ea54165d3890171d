import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  browserConditions,
  browserSourceConditions,
  resolvePackageEntry,
  walkImportGraph,
  workspaceRoot,
  type ImportGraph,
} from '../client/runtimes/browser-resolution.js';

// The client's main entry runs in browsers: what a browser or a bundler targeting one loads from
// it, through each package's `exports` and `imports` under the `browser` condition, must import
// no Node built-in and not undici. Checked on the build (as published) and on the sources.
const packages = ['client', 'core'] as const;

function describeForbidden(graph: ImportGraph): string[] {
  return graph.forbidden.map(({ file, specifier }) => `${relative(workspaceRoot, file)} imports ${specifier}`);
}

describe('the browser build of the client and core', () => {
  for (const name of packages) {
    const directory = join(workspaceRoot, 'packages', name);

    it(`${name}: the built main entry reaches no node: import and no undici`, () => {
      if (!existsSync(join(directory, 'dist', 'index.js'))) {
        throw new Error(`build ${name} first: npx tsc -b packages/${name}`);
      }
      const graph = walkImportGraph(resolvePackageEntry(directory, '.', browserConditions), browserConditions);
      expect(describeForbidden(graph)).toEqual([]);
      const own = graph.files.filter((file) => file.startsWith(join(workspaceRoot, 'packages')));
      expect(own.every((file) => file.includes('/dist/'))).toBe(true);
      if (name === 'client') {
        // The graph is real: it reaches the fetch transport and core's browser flow storage.
        expect(own.map((file) => relative(workspaceRoot, file))).toEqual(
          expect.arrayContaining([
            'packages/client/dist/fetch-transport.js',
            'packages/client/dist/without-undici.js',
            'packages/core/dist/sync-flow-storage.js',
          ]),
        );
      }
    });

    it(`${name}: the sources' main entry reaches no node: import and no undici`, () => {
      const graph = walkImportGraph(
        resolvePackageEntry(directory, '.', browserSourceConditions),
        browserSourceConditions,
      );
      expect(describeForbidden(graph)).toEqual([]);
      expect(graph.files.length).toBeGreaterThan(10);
    });
  }

  it('sees what the Node build does import, so a clean result means something', () => {
    const node = new Set(['@events-protocol/source', 'node', 'import', 'default']);
    const directory = join(workspaceRoot, 'packages', 'client');
    const graph = walkImportGraph(resolvePackageEntry(directory, '.', node), node);
    const specifiers = graph.forbidden.map(({ specifier }) => specifier);
    expect(specifiers).toEqual(expect.arrayContaining(['undici', 'node:async_hooks']));
  });
});
