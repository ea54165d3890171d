import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// One concept per file: no source file of a package is longer than 300 lines (STYLE.md). Tests
// (`*.test.ts`) and type tests (`*.test-d.ts`) are not sources and are not counted.

const root = fileURLToPath(new URL('../../', import.meta.url));
const maxLines = 300;

/**
 * Source files allowed past the limit, each with the reason it cannot be split. Empty on purpose:
 * a file that grows past the limit is split along its concepts, not listed here. An entry must
 * name a file that is still too long, so the list cannot go stale.
 */
const allowedLongFiles: ReadonlyMap<string, string> = new Map<string, string>([]);

/** The lines of a text as `wc -l` counts them, plus a last line without its newline. */
function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function isSource(name: string): boolean {
  return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.test-d.ts');
}

/** Every source file under `directory`, at any depth, skipping dependencies and builds. */
function sourcesUnder(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') found.push(...sourcesUnder(path));
    } else if (entry.isFile() && isSource(entry.name)) {
      found.push(path);
    }
  }
  return found;
}

/** The sources of `<packagesRoot>/*\/src` longer than `limit` lines, as `path (lines)`, relative to `base`. */
function longSources(packagesRoot: string, limit: number, base: string): { path: string; lines: number }[] {
  const packages = readdirSync(packagesRoot, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  const long: { path: string; lines: number }[] = [];
  for (const entry of packages) {
    const source = join(packagesRoot, entry.name, 'src');
    let files: string[];
    try {
      files = sourcesUnder(source);
    } catch {
      continue; // a package without src/
    }
    for (const file of files) {
      const lines = lineCount(readFileSync(file, 'utf8'));
      if (lines > limit) long.push({ path: relative(base, file), lines });
    }
  }
  return long.sort((a, b) => a.path.localeCompare(b.path));
}

describe('package sources', () => {
  it(`are at most ${maxLines} lines each`, () => {
    const tooLong = longSources(join(root, 'packages'), maxLines, root)
      .filter(({ path }) => !allowedLongFiles.has(path))
      .map(({ path, lines }) => `${path} (${lines} lines)`);
    expect(tooLong, `split these along their concepts: ${tooLong.join(', ')}`).toEqual([]);
  });

  it('allow only files that are still too long', () => {
    const long = new Set(longSources(join(root, 'packages'), maxLines, root).map(({ path }) => path));
    expect([...allowedLongFiles.keys()].filter((path) => !long.has(path))).toEqual([]);
  });
});

describe('the file-size check', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'file-size-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const lines = (count: number) =>
    Array.from({ length: count }, (_, index) => `const x${index} = ${index};\n`).join('');
  const write = (path: string, text: string) => {
    mkdirSync(join(scratch, path, '..'), { recursive: true });
    writeFileSync(join(scratch, path), text);
  };
  write('one/src/fits.ts', lines(300));
  write('one/src/deep/too-long.ts', lines(301));
  write('one/src/no-final-newline.ts', `${lines(300)}const last = 1;`);
  write('one/src/too-long.test.ts', lines(400));
  write('one/src/too-long.test-d.ts', lines(400));
  write('one/dist/built.ts', lines(400));
  write('one/src/node_modules/dependency.ts', lines(400));
  write('two/src/index.ts', lines(10));
  write('three/README.md', 'no src here');

  it('names every source over the limit, at any depth, and nothing else', () => {
    expect(longSources(scratch, 300, scratch)).toEqual([
      { path: join('one', 'src', 'deep', 'too-long.ts'), lines: 301 },
      { path: join('one', 'src', 'no-final-newline.ts'), lines: 301 },
    ]);
  });

  it('counts lines as wc -l does, and a last line without a newline', () => {
    expect([lineCount(''), lineCount('a'), lineCount('a\n'), lineCount('a\nb'), lineCount('\n\n')]).toEqual([
      0, 1, 1, 2, 2,
    ]);
  });
});
