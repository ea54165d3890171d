import { describe, expect, it } from 'vitest';
import { registerGaugeBatch, type GaugeMeter } from './observable-gauges.js';
import type { DeliveryBatchCallback, DeliveryInstrumentOptions } from './open-telemetry-delivery-metrics.js';

/** A meter that keeps what it was asked, and collects as an SDK reader would: every callback once. */
class KeepingMeter implements GaugeMeter {
  readonly gauges: { name: string; options: DeliveryInstrumentOptions | undefined }[] = [];
  readonly callbacks = new Map<DeliveryBatchCallback, object[]>();

  createObservableGauge(name: string, options?: DeliveryInstrumentOptions): object {
    const gauge = { name };
    this.gauges.push({ name, options });
    return gauge;
  }
  addBatchObservableCallback(callback: DeliveryBatchCallback, observables: object[]): void {
    this.callbacks.set(callback, observables);
  }
  removeBatchObservableCallback(callback: DeliveryBatchCallback, observables: object[]): void {
    if (this.callbacks.get(callback) === observables) this.callbacks.delete(callback);
  }
  async collect(): Promise<[string, number][]> {
    const seen: [string, number][] = [];
    for (const [callback, observables] of this.callbacks) {
      await callback({
        observe(observable, value) {
          expect(observables).toContain(observable);
          seen.push([(observable as { name: string }).name, value]);
        },
      });
    }
    return seen;
  }
}

describe('registerGaugeBatch', () => {
  it('creates each gauge once, with its description and unit, and fills them from one callback', async () => {
    const meter = new KeepingMeter();
    let reads = 0;
    registerGaugeBatch(
      meter,
      {
        queued: { name: 'q.queued', description: 'Queued.', unit: '{entry}' },
        up: { name: 'q.up', description: 'Up.', unit: '1' },
      },
      async (result, gauge) => {
        reads += 1;
        await Promise.resolve();
        result.observe(gauge.up, 1);
        result.observe(gauge.queued, 7);
      },
    );
    expect(meter.gauges).toEqual([
      { name: 'q.queued', options: { description: 'Queued.', unit: '{entry}' } },
      { name: 'q.up', options: { description: 'Up.', unit: '1' } },
    ]);
    expect(meter.callbacks.size).toBe(1);
    expect(await meter.collect()).toEqual([
      ['q.up', 1],
      ['q.queued', 7],
    ]);
    expect(reads).toBe(1);
  });

  it('removes its callback, with the observables it was added with, on unregister', async () => {
    const meter = new KeepingMeter();
    const registration = registerGaugeBatch(
      meter,
      { up: { name: 'q.up', description: 'Up.', unit: '1' } },
      (result, gauge) => result.observe(gauge.up, 1),
    );
    registration.unregister();
    expect(meter.callbacks.size).toBe(0);
    expect(await meter.collect()).toEqual([]);
  });
});
