import { describe, expect, it } from 'vitest';
import { PendingEndpointOutcomes } from './pending-endpoint-outcomes.js';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));

describe('PendingEndpointOutcomes', () => {
  it('folds a run of deliveries into one write, taken by the first report of the run', () => {
    const pending = new PendingEndpointOutcomes();
    pending.add('a', true, at(1));
    pending.add('a', true, at(3));
    pending.add('a', true, at(2));
    expect(pending.take('a', true)).toEqual([{ delivered: true, count: 3, at: at(3) }]);
    expect(pending.take('a', true)).toEqual([]);
    expect(pending.take('a', true)).toEqual([]);
  });

  it('keeps failures apart, in order, so that a streak after deliveries stays exact', () => {
    const pending = new PendingEndpointOutcomes();
    pending.add('a', true, at(1));
    pending.add('a', true, at(2));
    pending.add('a', false, at(3));
    pending.add('a', true, at(4));
    pending.add('a', false, at(5));
    expect(pending.take('a', true)).toEqual([{ delivered: true, count: 2, at: at(2) }]);
    expect(pending.take('a', true)).toEqual([]);
    expect(pending.take('a', false)).toEqual([{ delivered: false, at: at(3) }]);
    expect(pending.take('a', true)).toEqual([{ delivered: true, count: 1, at: at(4) }]);
    expect(pending.take('a', false)).toEqual([{ delivered: false, at: at(5) }]);
    expect(pending.take('a', false)).toEqual([]);
  });

  it('has a failure write a run still in front of it first, and keeps endpoints apart', () => {
    const pending = new PendingEndpointOutcomes();
    pending.add('a', true, at(1));
    pending.add('a', false, at(2));
    pending.add('b', false, at(3));
    expect(pending.take('a', false)).toEqual([
      { delivered: true, count: 1, at: at(1) },
      { delivered: false, at: at(2) },
    ]);
    expect(pending.take('b', false)).toEqual([{ delivered: false, at: at(3) }]);
    expect(pending.take('unknown', true)).toEqual([]);
  });
});
