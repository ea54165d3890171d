import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

// What `npm pack` puts in each package's tarball, read from the built packages. The root test
// command builds (`tsc -b tsconfig.build.json`) before vitest runs; run that first when running
// this file alone.

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const packagesDir = join(root, 'packages');
const packageDirs = readdirSync(packagesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

interface PackageJson {
  readonly name: string;
  readonly exports?: unknown;
  readonly bin?: string | Record<string, string>;
  readonly types?: string;
  readonly main?: string;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly files?: readonly string[];
}

interface PackResult {
  readonly files: readonly { readonly path: string }[];
}

/** Every file path named in `exports` (any condition but the source one), `bin`, `types` and `main`. */
function declaredPaths(manifest: PackageJson): string[] {
  const paths: string[] = [];
  const walk = (value: unknown, condition: string | undefined): void => {
    if (typeof value === 'string') {
      if (condition !== '@events-protocol/source') paths.push(value);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) walk(inner, key.startsWith('.') ? condition : key);
    }
  };
  walk(manifest.exports, undefined);
  if (typeof manifest.bin === 'string') paths.push(manifest.bin);
  else if (manifest.bin !== undefined) paths.push(...Object.values(manifest.bin));
  if (manifest.types !== undefined) paths.push(manifest.types);
  if (manifest.main !== undefined) paths.push(manifest.main);
  return [...new Set(paths.map((path) => path.replace(/^\.\//, '')))];
}

/** The `exports` map as subpath -> conditions -> path (a bare string export is its `default`). */
function exportEntries(manifest: PackageJson): Record<string, Record<string, string>> {
  const exported = manifest.exports;
  if (typeof exported === 'string') return { '.': { default: exported } };
  if (typeof exported !== 'object' || exported === null) return {};
  return Object.fromEntries(
    Object.entries(exported as Record<string, unknown>).map(([subpath, value]) => [
      subpath,
      typeof value === 'string' ? { default: value } : (value as Record<string, string>),
    ]),
  );
}

async function packedFiles(directory: string): Promise<string[]> {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: directory,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [result] = JSON.parse(stdout) as PackResult[];
  if (result === undefined) throw new Error(`npm pack listed nothing in ${directory}`);
  return result.files.map((file) => file.path).sort();
}

/** A file's text, or undefined where it is missing. */
const readIfPresent = (path: string): string | undefined => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
const rootLicense = readIfPresent(join(root, 'LICENSE'));

describe.each(packageDirs)('the npm tarball of packages/%s', (name) => {
  const directory = join(packagesDir, name);
  const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as PackageJson;
  let files: string[] = [];
  beforeAll(async () => {
    files = await packedFiles(directory);
  });

  it('holds the LICENSE, the README and package.json', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
    expect(readIfPresent(join(directory, 'LICENSE'))).toBe(rootLicense);
  });

  it('holds every file its exports, bin and types name', () => {
    const missing = declaredPaths(manifest).filter((path) => !files.includes(path));
    expect(missing).toEqual([]);
  });

  it('holds, for every entry of its exports, the built module, its declarations and its source', () => {
    const entries = Object.entries(exportEntries(manifest)).filter(([subpath]) => subpath !== './package.json');
    expect(entries.length).toBeGreaterThan(0);
    const problems = entries.flatMap(([subpath, conditions]) => {
      const keys = Object.keys(conditions);
      const found: string[] = [];
      if (keys.indexOf('types') === -1 || keys.indexOf('types') > keys.indexOf('default')) {
        found.push(`${subpath}: 'types' must come before 'default'`);
      }
      const paths = {
        source: [conditions['@events-protocol/source'], /^\.\/src\/.*\.ts$/],
        types: [conditions['types'], /^\.\/dist\/.*\.d\.ts$/],
        default: [conditions['default'], /^\.\/dist\/.*\.js$/],
      } as const;
      for (const [condition, [path, shape]] of Object.entries(paths)) {
        if (path === undefined || !shape.test(path)) found.push(`${subpath}: ${condition} is ${String(path)}`);
        else if (!files.includes(path.slice(2))) found.push(`${subpath}: ${path} is not in the tarball`);
      }
      const stem = (path: string | undefined): string | undefined =>
        path?.replace(/^\.\/(src|dist)\//, '').replace(/(\.d)?\.[jt]s$/, '');
      const stems = new Set([stem(paths.source[0]), stem(paths.types[0]), stem(paths.default[0])]);
      if (stems.size !== 1) found.push(`${subpath}: its source, types and module are different files`);
      return found;
    });
    expect(problems).toEqual([]);
  });

  // A map whose source is gone is stale build output (tsc -b never deletes what it once wrote):
  // build from an empty dist before packing.
  it('holds no stale build output: each source map names a source in the tarball', () => {
    const maps = files.filter((path) => path.endsWith('.map'));
    const outside = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(join(directory, map), 'utf8')) as { sources: string[] };
      return sources
        .map((source) => posix.join(posix.dirname(map), source))
        .filter((source) => !files.includes(source))
        .map((source) => `${map} -> ${source}`);
    });
    expect(outside).toEqual([]);
  });

  it('holds no tests and no build cache', () => {
    const unwanted = files.filter(
      (path) =>
        /^src\/.*\.test(-d)?\.ts$/.test(path) || path.endsWith('.tsbuildinfo') || /^dist\/.*\.test\./.test(path),
    );
    expect(unwanted).toEqual([]);
  });

  it('asks for zod as a peer where its declarations name zod types', () => {
    const namesZod = files.some(
      (path) =>
        path.endsWith('.d.ts') &&
        /from ['"]zod['"]|import\(['"]zod['"]\)/.test(readFileSync(join(directory, path), 'utf8')),
    );
    if (!namesZod) return;
    expect(manifest.dependencies?.['zod']).toBeUndefined();
    expect(manifest.peerDependencies?.['zod']).toBe('^4.1.0');
  });

  it('holds nothing outside dist, src, the README, the LICENSE and package.json (and assets/ where its files name it)', () => {
    const assets = manifest.files?.includes('assets') === true;
    const stray = files.filter(
      (path) =>
        !/^(dist|src)\//.test(path) &&
        !(assets && path.startsWith('assets/')) &&
        !['README.md', 'LICENSE', 'package.json'].includes(path),
    );
    expect(stray).toEqual([]);
  });
});

it('the MIT LICENSE at the root names the project', () => {
  expect(rootLicense).toMatch(/^MIT License\n\nCopyright \(c\) 2026 events-protocol contributors\n/);
  expect((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { license: string }).license).toBe('MIT');
});
