import { describe, expect, it } from 'vitest';
import { isPublishError } from './publish-error.js';
import { SinkLifecycle } from './sink-lifecycle.js';

describe('SinkLifecycle', () => {
  it('releases once, however many times and however concurrently close is called', async () => {
    const lifecycle = new SinkLifecycle('test-sink');
    let releases = 0;
    let finish: () => void = () => undefined;
    const release = (): Promise<void> => {
      releases++;
      return new Promise<void>((resolve) => (finish = resolve));
    };
    const first = lifecycle.close(release);
    expect(lifecycle.closed).toBe(true);
    const second = lifecycle.close(release);
    let secondDone = false;
    void second.then(() => (secondDone = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondDone).toBe(false); // a later close waits for the first to finish
    finish();
    await Promise.all([first, second, lifecycle.close(release)]);
    expect(releases).toBe(1);
  });

  it('refuses with CLOSED, naming the sink, once closed', async () => {
    const lifecycle = new SinkLifecycle('test-sink');
    lifecycle.assertOpen();
    await lifecycle.close();
    let error: unknown;
    try {
      lifecycle.assertOpen();
    } catch (caught) {
      error = caught;
    }
    expect(isPublishError(error) && [error.code, error.sink, error.message]).toEqual([
      'CLOSED',
      'test-sink',
      'test-sink is closed',
    ]);
  });
});
