import { describe, expect, it } from 'vitest';
import { untilAborted } from './until-aborted.js';

const abortedWith = (signal: AbortSignal): Error => new Error(`aborted: ${String(signal.reason)}`);

describe('untilAborted', () => {
  it('is the work itself without a signal', async () => {
    const work = Promise.resolve(7);
    expect(untilAborted(work, undefined, abortedWith)).toBe(work);
    await expect(untilAborted(work, undefined, abortedWith)).resolves.toBe(7);
  });

  it('resolves and rejects as the work does while the signal stays quiet', async () => {
    const controller = new AbortController();
    await expect(untilAborted(Promise.resolve('done'), controller.signal, abortedWith)).resolves.toBe('done');
    await expect(untilAborted(Promise.reject(new Error('broke')), controller.signal, abortedWith)).rejects.toThrow(
      'broke',
    );
  });

  it('rejects at once with the given error when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort('early');
    await expect(untilAborted(new Promise(() => undefined), controller.signal, abortedWith)).rejects.toThrow(
      'aborted: early',
    );
  });

  it('rejects with the given error when the signal fires before the work ends', async () => {
    const controller = new AbortController();
    const pending = untilAborted(new Promise(() => undefined), controller.signal, abortedWith);
    controller.abort('late');
    await expect(pending).rejects.toThrow('aborted: late');
  });

  it('stops listening once the work has ended', async () => {
    const controller = new AbortController();
    await untilAborted(Promise.resolve(1), controller.signal, () => {
      throw new Error('the abort handler ran after the work ended');
    });
    controller.abort();
  });
});
