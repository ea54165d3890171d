import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/** What a browser (or a bundler targeting one) matches in `exports` and `imports`. */
export const browserConditions: ReadonlySet<string> = new Set(['browser', 'import', 'default']);
/** The same, on the packages' TypeScript sources. */
export const browserSourceConditions: ReadonlySet<string> = new Set(['@events-protocol/source', ...browserConditions]);

/** The workspace root. */
export const workspaceRoot = resolve(import.meta.dirname, '..', '..', '..');

interface PackageManifest {
  readonly name?: string;
  readonly exports?: unknown;
  readonly imports?: Record<string, unknown>;
  readonly main?: string;
}

function readManifest(directory: string): PackageManifest {
  return JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as PackageManifest;
}

/** Resolves a conditional `exports`/`imports` target as Node does: the first key whose condition is active. */
export function resolveTarget(target: unknown, conditions: ReadonlySet<string>): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const found = resolveTarget(item, conditions);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof target !== 'object' || target === null) return undefined;
  for (const [condition, value] of Object.entries(target)) {
    if (!conditions.has(condition)) continue;
    const found = resolveTarget(value, conditions);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The file a package's subpath (`.` for the main entry) resolves to under `conditions`. */
export function resolvePackageEntry(directory: string, subpath: string, conditions: ReadonlySet<string>): string {
  const manifest = readManifest(directory);
  const exports = manifest.exports;
  const isMap =
    typeof exports === 'object' && exports !== null && Object.keys(exports).some((key) => key.startsWith('.'));
  const target = isMap ? (exports as Record<string, unknown>)[subpath] : subpath === '.' ? exports : undefined;
  const found = resolveTarget(target ?? (subpath === '.' ? manifest.main : undefined), conditions);
  if (found === undefined) throw new Error(`${directory}: no ${subpath} export under ${[...conditions].join(', ')}`);
  return join(directory, found);
}

/** The file a package's `#…` import resolves to under `conditions`. */
export function resolvePackageImport(directory: string, specifier: string, conditions: ReadonlySet<string>): string {
  const found = resolveTarget(readManifest(directory).imports?.[specifier], conditions);
  if (found === undefined) throw new Error(`${directory}: no ${specifier} import under ${[...conditions].join(', ')}`);
  return join(directory, found);
}

/** The real directory of package `name` as seen from `fromDirectory` (node_modules, walking up). */
export function packageDirectory(name: string, fromDirectory: string): string {
  for (let directory = fromDirectory; ; directory = dirname(directory)) {
    const candidate = join(directory, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(directory) === directory) throw new Error(`${name} is not installed above ${fromDirectory}`);
  }
}

/** The directory of the package a file belongs to (the nearest package.json). */
export function owningPackage(file: string): string {
  for (let directory = dirname(file); ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    if (dirname(directory) === directory) throw new Error(`${file} belongs to no package`);
  }
}

/** A specifier a browser build must not contain, and the file that has it. */
export interface ForbiddenImport {
  readonly file: string;
  readonly specifier: string;
}

/** What {@link walkImportGraph} found. */
export interface ImportGraph {
  /** Every module reached, entry first. */
  readonly files: readonly string[];
  /** Imports of Node built-ins (`node:…` or a bare built-in name) and of `undici`. */
  readonly forbidden: readonly ForbiddenImport[];
  /** Each package or `#…` import followed: who imported it, and the file it resolved to. */
  readonly packageImports: readonly { readonly from: string; readonly specifier: string; readonly file: string }[];
}

const builtins: ReadonlySet<string> = new Set(builtinModules);

function packageNameOf(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const count = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, count).join('/');
  const rest = parts.slice(count).join('/');
  return { name, subpath: rest === '' ? '.' : `./${rest}` };
}

function relativeFile(from: string, specifier: string): string {
  const file = resolve(dirname(from), specifier);
  // Sources import `./x.js` for `./x.ts`, as TypeScript's NodeNext resolution allows.
  if (!existsSync(file) && file.endsWith('.js') && existsSync(`${file.slice(0, -3)}.ts`))
    return `${file.slice(0, -3)}.ts`;
  return file;
}

/**
 * A module's JavaScript: a source file is transpiled as the build compiles it (type-only imports
 * erased, `verbatimModuleSyntax` keeping the others), so its imports are those of its build.
 */
export function javaScriptOf(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.ts')) return text;
  return ts.transpileModule(text, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: true },
  }).outputText;
}

/** The specifiers of a module's imports, re-exports and dynamic imports, read from its syntax tree. */
export function moduleSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, javaScriptOf(file), ts.ScriptTarget.ES2023, false, ts.ScriptKind.JS);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      if (ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

/**
 * Every module a browser loads from `entry` (static imports, re-exports and dynamic imports, read
 * from the syntax tree, so comments and strings do not count), resolving packages and `#…` imports with
 * `conditions`; Node built-ins and undici are recorded, not followed.
 */
export function walkImportGraph(entry: string, conditions: ReadonlySet<string>): ImportGraph {
  const files: string[] = [];
  const forbidden: ForbiddenImport[] = [];
  const packageImports: { from: string; specifier: string; file: string }[] = [];
  const seen = new Set<string>();
  const queue = [realpathSync(entry)];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    files.push(file);
    for (const specifier of moduleSpecifiers(file)) {
      let next: string;
      if (specifier.startsWith('./') || specifier.startsWith('../')) next = relativeFile(file, specifier);
      else if (specifier.startsWith('#')) next = resolvePackageImport(owningPackage(file), specifier, conditions);
      else {
        const { name, subpath } = packageNameOf(specifier);
        if (specifier.startsWith('node:') || builtins.has(name) || name === 'undici') {
          forbidden.push({ file, specifier });
          continue;
        }
        next = resolvePackageEntry(packageDirectory(name, dirname(file)), subpath, conditions);
      }
      next = realpathSync(next);
      if (!specifier.startsWith('.')) packageImports.push({ from: file, specifier, file: next });
      queue.push(next);
    }
  }
  return { files, forbidden, packageImports };
}
