import { describe, expect, it } from 'vitest';
import { KeyedSerialQueue } from './keyed-serial-queue.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('KeyedSerialQueue', () => {
  it('runs the tasks of one key in order, one at a time, and those of other keys beside them', async () => {
    const queue = new KeyedSerialQueue();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const task = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      running--;
    };
    queue.enqueue('a', task('a1'));
    queue.enqueue('a', task('a2'));
    const other = queue.enqueue('b', task('b1'));
    await queue.idle();
    expect(log.filter((line) => line.startsWith('a'))).toEqual(['a1 start', 'a1 end', 'a2 start', 'a2 end']);
    expect(most).toBe(2);
    await expect(other.done).resolves.toBeUndefined();
  });

  it('counts what is queued per key, and forgets a key once its tasks have run', async () => {
    const queue = new KeyedSerialQueue();
    expect(queue.enqueue('a', tick).queued).toBe(1);
    expect(queue.enqueue('a', tick).queued).toBe(2);
    expect(queue.enqueue('b', tick).queued).toBe(1);
    await queue.idle();
    expect(queue.enqueue('a', tick).queued).toBe(1);
    await queue.idle();
  });

  it('goes on after a task that rejects, and its done never rejects', async () => {
    const queue = new KeyedSerialQueue();
    const ran: string[] = [];
    const failing = queue.enqueue('a', () => Promise.reject(new Error('boom')));
    queue.enqueue('a', () => {
      ran.push('second');
      return Promise.resolve();
    });
    await expect(failing.done).resolves.toBeUndefined();
    await queue.idle();
    expect(ran).toEqual(['second']);
  });
});
