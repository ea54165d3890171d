import { describe, expect, it } from 'vitest';
import { medianTypeCheckCost, typeCheckCostLine, type TypeCheckCost } from '../../bench/src/type-check-cost.js';
import { typeCheckMarkdown } from '../../bench/src/type-check-report.js';

function round(totalSeconds: number, checkSeconds: number, memoryMb: number): TypeCheckCost {
  return {
    contracts: 3000,
    fixture: 'standard-schema',
    compiler: 'typescript-native',
    compilerVersion: '7.0.2',
    totalSeconds,
    checkSeconds,
    memoryMb,
    types: 279_827,
    instantiations: 682_686,
  };
}

describe('the type-check figures out of several rounds', () => {
  it('reports the median of each figure and every round’s total', () => {
    const cost = medianTypeCheckCost([round(3.09, 2.64, 342), round(1.93, 1.58, 341), round(2.0, 1.63, 343)]);
    expect(cost).toMatchObject({ totalSeconds: 2.0, checkSeconds: 1.63, memoryMb: 342, types: 279_827 });
    expect(cost.roundTotalSeconds).toEqual([3.09, 1.93, 2.0]);
    expect(typeCheckCostLine(cost)).toContain('total 2.00 s (rounds 3.09, 1.93, 2.00 s)');
    expect(typeCheckMarkdown([cost]).join('\n')).toContain('| 2.00 s | 3.09, 1.93, 2.00 | 1.63 s | 342 MB |');
  });

  it('refuses to take the median of no round', () => {
    expect(() => medianTypeCheckCost([])).toThrow('no type-check round');
  });
});
