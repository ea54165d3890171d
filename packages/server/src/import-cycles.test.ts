import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const sourceDirectory = new URL('./', import.meta.url);

/** Each source file's relative imports (type-only ones too), by file name. */
function importGraph(): Map<string, string[]> {
  const files = readdirSync(sourceDirectory).filter((file) => file.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(file));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(new URL(file, sourceDirectory), 'utf8');
    const imports = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'\.\/([^']+)\.js';/gms)].map(
      (match) => `${match[1] ?? ''}.ts`,
    );
    graph.set(file, imports);
  }
  return graph;
}

/** The first import cycle found, as the files along it, or `undefined`. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    const open = path.indexOf(file);
    if (open !== -1) return [...path.slice(open), file];
    if (done.has(file)) return undefined;
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    done.add(file);
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

describe('the server sources', () => {
  it('import one another without a cycle', () => {
    const graph = importGraph();
    expect(graph.get('index.ts')?.length).toBeGreaterThan(10);
    expect(findCycle(graph)).toBeUndefined();
  });

  it('find a cycle when there is one', () => {
    expect(
      findCycle(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', ['a.ts']],
        ]),
      ),
    ).toEqual(['a.ts', 'b.ts', 'a.ts']);
  });
});
