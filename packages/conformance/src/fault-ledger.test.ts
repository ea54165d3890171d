import { describe, expect, it } from 'vitest';
import { failing, judge, tolerated, type CheckOutcome, type ConformanceCheck } from './conformance-check.js';
import { FaultLedger } from './fault-ledger.js';

const check = (id: string, owns?: string[]): ConformanceCheck => ({
  id,
  rule: 'A rule.',
  run: () => Promise.resolve({ status: 'pass', detail: '' }),
  ...(owns === undefined ? {} : { owns }),
});
const noAnswer = (cause = 'no proper answer to an unknown event'): CheckOutcome =>
  judge([failing('connected, but no answer: socket hang up', cause)], '');

describe('FaultLedger', () => {
  it('lets the first check in order count a fault and skips later ones that fail only for it', () => {
    const ledger = new FaultLedger([check('a'), check('b')]);
    expect(ledger.settle('a', noAnswer())).toEqual({
      status: 'fail',
      detail: 'connected, but no answer: socket hang up',
    });
    expect(ledger.settle('b', noAnswer())).toEqual({
      status: 'skip',
      detail: 'blocked by a: connected, but no answer: socket hang up',
    });
  });

  it('gives a fault to the check that owns it, wherever that check is in the order', () => {
    const ledger = new FaultLedger([check('early'), check('owner', ['no proper answer to an unknown event'])]);
    expect(ledger.settle('early', noAnswer()).status).toBe('skip');
    expect(ledger.settle('owner', noAnswer()).status).toBe('fail');
  });

  it('still fails a check with a failure of its own, naming only that one', () => {
    const ledger = new FaultLedger([]);
    ledger.settle('a', noAnswer());
    const mixed = judge(
      [failing('connected, but no answer', 'no proper answer to an unknown event'), failing('HTTP 500')],
      '',
    );
    expect(ledger.settle('b', mixed)).toEqual({ status: 'fail', detail: 'HTTP 500 (also blocked by a)' });
  });

  it('counts faults without a cause every time, and leaves passes, warnings and plain outcomes alone', () => {
    const ledger = new FaultLedger([]);
    expect(ledger.settle('a', judge([failing('no answer')], '')).status).toBe('fail');
    expect(ledger.settle('b', judge([failing('no answer')], '')).status).toBe('fail');
    expect(ledger.settle('c', judge([tolerated('no charset')], '')).status).toBe('warn');
    expect(ledger.settle('d', { status: 'fail', detail: 'a user check' })).toEqual({
      status: 'fail',
      detail: 'a user check',
    });
  });

  it('lets different faults be counted by different checks', () => {
    const ledger = new FaultLedger([]);
    expect(ledger.settle('a', noAnswer('x')).status).toBe('fail');
    expect(ledger.settle('b', noAnswer('y')).status).toBe('fail');
    expect(ledger.settle('c', judge([failing('1', 'x'), failing('2', 'y')], ''))).toEqual({
      status: 'skip',
      detail: 'blocked by a, b: 1; 2',
    });
  });
});

describe('FaultLedger with an owner earlier in the run', () => {
  it('lets a later check count the fault when the owner did not fail for it', () => {
    const ledger = new FaultLedger([check('owner', ['x']), check('later')]);
    expect(ledger.settle('owner', judge([], 'fine')).status).toBe('pass');
    expect(ledger.settle('later', noAnswer('x')).status).toBe('fail');
    expect(ledger.settle('last', noAnswer('x')).status).toBe('skip');
  });
});
