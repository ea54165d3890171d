import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { typeCheckProject } from '../../bench/src/type-check-cost.js';
import { typeCheckFixtures, writeTypeCheckProject } from '../../bench/src/type-check-fixtures.js';

// The projects are written under bench/ so that they resolve its installed packages (zod, oRPC)
// and the workspace's built ones, as the bench does.
const benchTemporary = fileURLToPath(new URL('../../bench/.tmp/', import.meta.url));
const written: string[] = [];

async function project(name: string): Promise<string> {
  await mkdir(benchTemporary, { recursive: true });
  const directory = await mkdtemp(join(benchTemporary, `type-check-test-${name}-`));
  written.push(directory);
  return directory;
}

afterAll(async () => {
  await Promise.all(written.map((directory) => rm(directory, { recursive: true, force: true })));
});

describe('the type-check bench projects', () => {
  // tsc 7 checks every project; tsc 5.9 (ten times slower) the two the targets compare.
  for (const fixture of typeCheckFixtures) {
    const compilers = [
      'typescript-native',
      ...(fixture === 'standard-schema' || fixture === 'orpc' ? ['typescript'] : []),
    ] as const;
    for (const compiler of compilers as readonly ('typescript' | 'typescript-native')[]) {
      it(`${fixture} type-checks with ${compiler} and reports its figures`, { timeout: 120_000 }, async () => {
        const directory = await project(`${fixture}-${compiler}`);
        await writeTypeCheckProject(directory, 120, fixture);
        const cost = await typeCheckProject(directory, 120, { fixture, compiler });
        expect(cost).toMatchObject({ contracts: 120, fixture, compiler });
        expect(cost.compilerVersion).toMatch(compiler === 'typescript' ? /^5\./ : /^7\./);
        expect(cost.types).toBeGreaterThan(1000);
        expect(cost.memoryMb).toBeGreaterThan(0);
        expect(cost.totalSeconds).toBeGreaterThan(0);
      });
    }
  }

  // The figures are worth something only if the handlers and calls are really checked against
  // the contracts: a handler answering the wrong type, or a call reading a field the response
  // lacks, must fail the check.
  for (const [fixture, file, from, to, compiler] of [
    ['standard-schema', 'handlers-0.ts', "kind: 'a' }", "kind: 'c' }", 'typescript'],
    ['standard-schema', 'calls-0.ts', 'result.payload.total', 'result.payload.totals', 'typescript-native'],
    ['registry', 'handlers-0.ts', 'total: event.payload.count', 'total: event.payload.id0', 'typescript-native'],
    ['orpc', 'calls-0.ts', 'result.total', 'result.totals', 'typescript-native'],
  ] as const) {
    it(`fails the ${fixture} project when ${file} is wrong (${compiler})`, { timeout: 120_000 }, async () => {
      const directory = await project(`${fixture}-broken`);
      await writeTypeCheckProject(directory, 3, fixture);
      const path = join(directory, 'src', file);
      const text = await readFile(path, 'utf8');
      expect(text).toContain(from);
      await writeFile(path, text.replace(from, to));
      await expect(typeCheckProject(directory, 3, { fixture, compiler })).rejects.toThrow(
        /does not type-check[\s\S]*error TS/,
      );
    });
  }
});
