import { describe, expect, it } from 'vitest';
import { createPublishedEvent } from './published-event.js';
import { PublishAssertionError, RecordingSink } from './sinks/recording-sink.js';

describe('RecordingSink', () => {
  it('keeps what was published and matches on name, version and payload, ignoring generated fields', async () => {
    const sink = new RecordingSink();
    const placed = createPublishedEvent({ name: 'order:placed', payload: { orderId: 'o-1' } });
    await sink.publish(placed, { topic: 'orders', attributes: { region: 'eu' } });
    await sink.publish(createPublishedEvent({ name: 'order:paid', version: 2, payload: { orderId: 'o-1' } }));
    sink.assertPublished({ name: 'order:placed', payload: { orderId: 'o-1' } });
    sink.assertPublished({ name: 'order:placed', topic: 'orders' }, { name: 'order:paid', version: 2 });
    sink.assertPublished({ name: 'order:placed', id: placed.id });
    expect(sink.recorded[0]?.options).toEqual({ topic: 'orders', attributes: { region: 'eu' } });
    placed.payload.orderId = 'changed later';
    expect(sink.events[0]?.payload).toEqual({ orderId: 'o-1' });
  });

  it('fails with a readable diff of what was published instead', async () => {
    const sink = new RecordingSink();
    await sink.publish(createPublishedEvent({ name: 'order:placed', payload: { orderId: 'o-1' } }));
    const failure = (() => {
      try {
        sink.assertPublished({ name: 'order:placed', payload: { orderId: 'o-2' } });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(PublishAssertionError);
    expect((failure as Error).message).toBe(
      [
        'expected event 1 of 1 was not published:',
        '- expected: {"name":"order:placed","version":1,"payload":{"orderId":"o-2"}}',
        '+ published:',
        '  1. {"name":"order:placed","version":1,"payload":{"orderId":"o-1"}}',
      ].join('\n'),
    );
    expect(() => sink.assertPublished({ name: 'order:placed' }, { name: 'order:placed' })).toThrow(/after event 1/);
    sink.clear();
    expect(() => sink.assertPublished({ name: 'x' })).toThrow(/published: nothing/);
  });
});
