import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { documentedBlocks, extractTypeScriptBlocks, typeCheckBlocks, type BlockProblem } from './typescript-blocks.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const format = (problem: BlockProblem): string => `${problem.where} TS${problem.code}: ${problem.message}`;

// A compile of every block loads the sources of all eleven packages: seconds alone, far more on a
// machine busy with other tests. The limit only ends a hung run.
const compileTimeoutMs = 240_000;

describe('TypeScript blocks in Markdown', () => {
  it('are found with the line of their first code line, their context and their exceptions', () => {
    const markdown = [
      '# Title', // 1
      '```ts', // 2
      'const a = 1;', // 3
      '```', // 4
      '<!-- compile with:', // 5
      "import { z } from 'zod';", // 6
      '-->', // 7
      '', // 8
      '```typescript', // 9
      'z.string();', // 10
      '```', // 11
      '<!-- not compiled: a shell session, not TypeScript -->', // 12
      '```ts', // 13
      '$ events send', // 14
      '```', // 15
      '```sh', // 16
      'echo not TypeScript', // 17
      '```', // 18
    ].join('\n');
    expect(extractTypeScriptBlocks(markdown, 'SAMPLE.md')).toEqual([
      { file: 'SAMPLE.md', line: 3, code: 'const a = 1;' },
      { file: 'SAMPLE.md', line: 10, code: 'z.string();', context: { line: 6, code: "import { z } from 'zod';" } },
      { file: 'SAMPLE.md', line: 14, code: '$ events send', notCompiled: 'a shell session, not TypeScript' },
    ]);
  });

  it('refuse an exception without a reason, and a block never closed', () => {
    expect(() => extractTypeScriptBlocks('<!-- not compiled: -->\n```ts\nx\n```\n', 'A.md')).toThrow(
      'A.md:1: "not compiled" needs a reason',
    );
    expect(() => extractTypeScriptBlocks('text\n```ts\nconst a = 1;\n', 'B.md')).toThrow(
      'B.md:2: a TypeScript block is never closed',
    );
  });

  it(
    'fail on a broken block, placed at the line of the Markdown, in the code or in its context',
    () => {
      const markdown = [
        '<!-- compile with:', // 1
        "import { EventRegistry } from '@events-protocol/server';", // 2
        'declare const registry: EventRegistry;', // 3
        '-->', // 4
        '```ts', // 5
        "import { EventClient } from '@events-protocol/client';", // 6
        '', // 7
        "const client = new EventClient({ url: 'http://127.0.0.1:8080/events' });", // 8
        'registry.list();', // 9
        'client.sendEventually();', // 10: no such method
        '```', // 11
        '<!-- compile with:', // 12
        'declare const count: number = 1;', // 13: an initializer in an ambient context
        '-->', // 14
        '```ts', // 15
        'const n: string = count;', // 16: a number is not a string
        '```', // 17
      ].join('\n');
      const problems = typeCheckBlocks(root, extractTypeScriptBlocks(markdown, 'SAMPLE.md'));
      expect(problems.map((problem) => `${problem.where} TS${problem.code}`)).toEqual([
        'SAMPLE.md:10:8 TS2339',
        'SAMPLE.md:13:31 TS1039',
        'SAMPLE.md:16:7 TS2322',
      ]);
      expect(problems[0]?.message).toContain("Property 'sendEventually' does not exist on type 'EventClient'");
    },
    compileTimeoutMs,
  );

  it(
    'of every README and docs page compile under the repository strict settings',
    () => {
      const blocks = documentedBlocks(root);
      expect(blocks.length).toBeGreaterThan(20);
      const problems = typeCheckBlocks(
        root,
        blocks.filter((block) => block.notCompiled === undefined),
      );
      expect(problems.map(format)).toEqual([]);
    },
    compileTimeoutMs,
  );

  it('are exceptions only rarely, each with its reason', () => {
    const exceptions = documentedBlocks(root).filter((block) => block.notCompiled !== undefined);
    expect(exceptions.map((block) => `${block.file}:${block.line} ${block.notCompiled ?? ''}`).length).toBeLessThan(4);
  });
});
