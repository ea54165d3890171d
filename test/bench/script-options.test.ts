import { describe, expect, it } from 'vitest';
import { wholeNumberOption } from '../../bench/src/script-options.js';

describe('the whole-number options of the bench scripts', () => {
  it('reads --name=<number>, and falls back when it is not given', () => {
    expect(wholeNumberOption('rounds', 3, ['node', 'script.js', '--rounds=5', '--top=0'])).toBe(5);
    expect(wholeNumberOption('top', 30, ['node', 'script.js', '--rounds=5', '--top=0'])).toBe(0);
    expect(wholeNumberOption('warmup', 15_000, ['node', 'script.js', '--warmupx=1'])).toBe(15_000);
  });

  it('refuses what is not a whole number, naming the option', () => {
    for (const value of ['x', '1.5', '-2', '']) {
      expect(() => wholeNumberOption('calls', 1, [`--calls=${value}`])).toThrow(
        `--calls takes a whole number, got ${value}`,
      );
    }
  });
});
