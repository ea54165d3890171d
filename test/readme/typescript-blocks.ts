import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One fenced TypeScript block of a Markdown file. */
export interface TypeScriptBlock {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  /** The 1-based line of the block's first line of code in that file. */
  readonly line: number;
  readonly code: string;
  /**
   * Hidden code the block compiles after (imports, `declare const` of what the text around it
   * defines), from a `<!-- compile with:` comment before it; `line` is where that code starts.
   */
  readonly context?: { readonly line: number; readonly code: string };
  /** Why the block is not compiled, from a `<!-- not compiled: reason -->` comment before it. */
  readonly notCompiled?: string;
}

/** A compiler message about a block, placed in its Markdown file. */
export interface BlockProblem {
  /** `README.md:42:7`: the file, line and column in the Markdown. */
  readonly where: string;
  readonly code: number;
  readonly message: string;
}

const fence = /^(\s*)```(ts|typescript)\s*$/;
const notCompiled = /^<!--\s*not compiled:\s*(.*?)\s*-->$/;

/** The comment that ends at line `end` (0-based) and where it starts, or `undefined`. */
function commentBefore(lines: readonly string[], end: number): { start: number; text: string[] } | undefined {
  if (end < 0 || !(lines[end] ?? '').trim().endsWith('-->')) return undefined;
  let start = end;
  while (start >= 0 && !(lines[start] ?? '').trim().startsWith('<!--')) start--;
  return start < 0 ? undefined : { start, text: lines.slice(start, end + 1) };
}

/**
 * The ```ts and ```typescript blocks of a Markdown text. The comment right before a block (blank
 * lines between are fine) may give its hidden context (`<!-- compile with:`, code lines, `-->`,
 * each on its own line) or say why it is not compiled (`<!-- not compiled: reason -->`).
 *
 * @throws Error for a block never closed, a `not compiled` without a reason, or a malformed context.
 */
export function extractTypeScriptBlocks(markdown: string, file: string): TypeScriptBlock[] {
  const lines = markdown.split('\n');
  const blocks: TypeScriptBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const opening = fence.exec(lines[index] ?? '');
    if (opening === null) continue;
    const indent = opening[1] ?? '';
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && (lines[index] ?? '').trim() !== '```'; index++) {
      body.push((lines[index] ?? '').slice(indent.length));
    }
    if (index === lines.length) throw new Error(`${file}:${start + 1}: a TypeScript block is never closed`);
    let before = start - 1;
    while (before >= 0 && (lines[before] ?? '').trim() === '') before--;
    const block: TypeScriptBlock = { file, line: start + 2, code: body.join('\n') };
    const comment = commentBefore(lines, before);
    const first = comment?.text[0]?.trim() ?? '';
    const reason = notCompiled.exec(first)?.[1];
    if (comment !== undefined && reason !== undefined) {
      if (reason === '') throw new Error(`${file}:${comment.start + 1}: "not compiled" needs a reason`);
      blocks.push({ ...block, notCompiled: reason });
    } else if (comment !== undefined && first.startsWith('<!-- compile with:')) {
      if (first !== '<!-- compile with:' || comment.text.at(-1)?.trim() !== '-->') {
        throw new Error(`${file}:${comment.start + 1}: write "<!-- compile with:" and "-->" on lines of their own`);
      }
      blocks.push({ ...block, context: { line: comment.start + 2, code: comment.text.slice(1, -1).join('\n') } });
    } else {
      blocks.push(block);
    }
  }
  return blocks;
}

/** The repository's strict compiler options (tsconfig.base.json), for checking without output. */
function compilerOptions(root: string): ts.CompilerOptions {
  const path = join(root, 'tsconfig.base.json');
  const config = ts.readConfigFile(path, (file) => ts.sys.readFile(file));
  if (config.error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, path);
  return {
    ...parsed.options,
    noEmit: true,
    composite: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    incremental: false,
  };
}

/**
 * Type-checks blocks as modules inside the `test` workspace package (so `@events-protocol/*`,
 * zod and express resolve as they do for the tests), one file per block, nothing written to disk.
 * Resolves to every problem, placed at its line in the Markdown.
 */
export function typeCheckBlocks(root: string, blocks: readonly TypeScriptBlock[]): BlockProblem[] {
  const options = compilerOptions(root);
  const directory = join(root, 'test', 'readme');
  const virtual = new Map<string, TypeScriptBlock>();
  for (const block of blocks) {
    const name = `${block.file.replace(/[^A-Za-z0-9]+/g, '-')}-line-${block.line}.block.ts`;
    virtual.set(join(directory, name), block);
  }
  const host = ts.createCompilerHost(options, true);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (file) => virtual.has(file) || fileExists(file);
  host.readFile = (file) => {
    const block = virtual.get(file);
    return block === undefined ? readFile(file) : sourceText(block);
  };
  host.getSourceFile = (file, language, onError, create) => {
    const block = virtual.get(file);
    return block === undefined
      ? getSourceFile(file, language, onError, create)
      : ts.createSourceFile(file, sourceText(block), language, true);
  };
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const problems: BlockProblem[] = [];
  for (const [file, block] of virtual) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`${block.file}:${block.line}: the block was not compiled`);
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    const contextLines = block.context === undefined ? 0 : block.context.code.split('\n').length;
    for (const diagnostic of diagnostics) {
      const { line, character } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const markdownLine = line < contextLines ? (block.context?.line ?? 0) + line : block.line + line - contextLines;
      problems.push({
        where: `${block.file}:${markdownLine}:${character + 1}`,
        code: diagnostic.code,
        message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
      });
    }
  }
  return problems;
}

/** A block as one module: its context, its code, and `export {}` so no two blocks share a scope. */
function sourceText(block: TypeScriptBlock): string {
  return `${block.context === undefined ? '' : `${block.context.code}\n`}${block.code}\nexport {};\n`;
}

/** The Markdown files whose TypeScript the tests compile: the READMEs and `docs/*.md`. */
export function documentedMarkdownFiles(root: string): string[] {
  const packages = ts.sys.getDirectories(join(root, 'packages')).sort();
  const docs = ts.sys.readDirectory(join(root, 'docs'), ['.md'], undefined, undefined, 1).sort();
  return [
    'README.md',
    ...packages.map((name) => join('packages', name, 'README.md')),
    ...docs.map((path) => relative(root, path)),
  ].filter((file) => ts.sys.fileExists(join(root, file)));
}

/** Every TypeScript block of {@link documentedMarkdownFiles}. */
export function documentedBlocks(root: string): TypeScriptBlock[] {
  return documentedMarkdownFiles(root).flatMap((file) =>
    extractTypeScriptBlocks(readFileSync(join(root, file), 'utf8'), file),
  );
}
