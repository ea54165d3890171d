import { readFileSync } from 'node:fs';
import { errorCodes } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { errorFamilies } from '../support/error-families.js';

const doc = readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');

/** The rows of the code table, one per code. */
function documentedRows(): { code: string; families: string; meaning: string; retryable: string }[] {
  const rows = [];
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    // A row is `| \`CODE\` | families | meaning | retryable |`: empty cells before and after the bars.
    if (cells.length !== 6 || !/^`[A-Z_]+`$/.test(cells[1] ?? '')) continue;
    const [, code = '', families = '', meaning = '', retryable = ''] = cells;
    rows.push({ code: code.slice(1, -1), families, meaning, retryable });
  }
  return rows;
}

function familiesThrowing(code: string): string {
  return errorFamilies
    .filter(({ codes }) => Object.values(codes ?? {}).some((value) => value === code))
    .map(({ family, packageName }) => `\`${family}\` (${packageName})`)
    .join(', ');
}

describe('docs/ERRORS.md', () => {
  it('lists exactly the codes of the code tables, each once', () => {
    const documented = documentedRows().map((row) => row.code);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual(Object.keys(errorCodes).sort());
  });

  it('gives each code the families that throw it, its one meaning and whether a retry can help', () => {
    const expected = Object.entries(errorCodes).map(([code, info]) => ({
      code,
      families: familiesThrowing(code),
      meaning: info.meaning,
      retryable: info.retryable,
    }));
    const byCode = (a: { code: string }, b: { code: string }): number => a.code.localeCompare(b.code);
    expect(documentedRows().sort(byCode)).toEqual(expected.sort(byCode));
  });
});
