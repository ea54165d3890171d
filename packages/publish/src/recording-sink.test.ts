import { describe, expect, it } from 'vitest';
import { createPublishedEvent } from './published-event.js';
import { PublishAssertionError, RecordingSink } from './sinks/recording-sink.js';

function failureOf(assertion: () => void): Error {
  try {
    assertion();
  } catch (error) {
    expect(error).toBeInstanceOf(PublishAssertionError);
    return error as Error;
  }
  throw new Error('the assertion passed');
}

async function placedAndPaid(): Promise<{ sink: RecordingSink; placedId: string }> {
  const sink = new RecordingSink();
  const placed = createPublishedEvent({ name: 'order:placed', payload: { orderId: 'o-1' } });
  await sink.publish(placed, { topic: 'orders', attributes: { region: 'eu' } });
  await sink.publish(createPublishedEvent({ name: 'order:paid', version: 2, payload: { orderId: 'o-1' } }));
  return { sink, placedId: placed.id };
}

describe('RecordingSink', () => {
  it('keeps what was published, deep-copied, with its topic and attributes', async () => {
    const sink = new RecordingSink();
    const placed = createPublishedEvent({ name: 'order:placed', payload: { orderId: 'o-1' } });
    const attributes = { region: 'eu' };
    await sink.publish(placed, { topic: 'orders', attributes });
    placed.payload.orderId = 'changed later';
    attributes.region = 'us';
    expect(sink.events[0]?.payload).toEqual({ orderId: 'o-1' });
    expect(sink.recorded[0]?.options).toEqual({ topic: 'orders', attributes: { region: 'eu' } });
  });

  it('assertPublished: exactly these events, in order, on name, version and the fields given', async () => {
    const { sink, placedId } = await placedAndPaid();
    sink.assertPublished({ name: 'order:placed', payload: { orderId: 'o-1' } }, { name: 'order:paid', version: 2 });
    sink.assertPublished(
      { name: 'order:placed', topic: 'orders', attributes: { region: 'eu' }, id: placedId },
      { name: 'order:paid', version: 2, payload: { orderId: 'o-1' } },
    );
    // Version 1 unless the expectation says otherwise; every given field counts.
    expect(() => sink.assertPublished({ name: 'order:placed' }, { name: 'order:paid' })).toThrow(PublishAssertionError);
    expect(() =>
      sink.assertPublished({ name: 'order:placed', attributes: { region: 'us' } }, { name: 'order:paid', version: 2 }),
    ).toThrow(PublishAssertionError);
    // The order matters.
    expect(() => sink.assertPublished({ name: 'order:paid', version: 2 }, { name: 'order:placed' })).toThrow(
      /published event 1 of 2 is not the one expected/,
    );
  });

  it('assertPublished compares the number of events first', async () => {
    const { sink } = await placedAndPaid();
    expect(failureOf(() => sink.assertPublished({ name: 'order:placed', payload: { orderId: 'o-1' } })).message).toBe(
      [
        'expected 1 event to be published, got 2:',
        '- expected:',
        '  1. {"name":"order:placed","version":1,"payload":{"orderId":"o-1"}}',
        '+ published:',
        '  1. {"name":"order:placed","version":1,"topic":"orders","payload":{"orderId":"o-1"}}',
        '  2. {"name":"order:paid","version":2,"payload":{"orderId":"o-1"}}',
      ].join('\n'),
    );
    expect(failureOf(() => sink.assertPublished()).message).toMatch(
      /^expected no event to be published, got 2:\n- expected: nothing\n/,
    );
    sink.clear();
    sink.assertPublished();
    expect(failureOf(() => sink.assertPublished({ name: 'x' })).message).toMatch(/got 0:[\s\S]*\+ published: nothing$/);
  });

  it('assertPublished shows the expected and the published event side by side', async () => {
    const sink = new RecordingSink();
    await sink.publish(createPublishedEvent({ name: 'order:placed', payload: { orderId: 'o-1' } }));
    expect(failureOf(() => sink.assertPublished({ name: 'order:placed', payload: { orderId: 'o-2' } })).message).toBe(
      [
        'published event 1 of 1 is not the one expected:',
        '- expected:  {"name":"order:placed","version":1,"payload":{"orderId":"o-2"}}',
        '+ published: {"name":"order:placed","version":1,"payload":{"orderId":"o-1"}}',
        'all published:',
        '  1. {"name":"order:placed","version":1,"payload":{"orderId":"o-1"}}',
      ].join('\n'),
    );
  });

  it('assertPublishedInOrder: these events in order, others may come between', async () => {
    const { sink } = await placedAndPaid();
    await sink.publish(createPublishedEvent({ name: 'order:shipped', payload: null }));
    sink.assertPublishedInOrder({ name: 'order:placed' }, { name: 'order:shipped' });
    sink.assertPublishedInOrder({ name: 'order:paid', version: 2 });
    expect(
      failureOf(() => sink.assertPublishedInOrder({ name: 'order:shipped' }, { name: 'order:placed' })).message,
    ).toBe(
      [
        'expected event 2 of 2 was not published after event 3:',
        '- expected: {"name":"order:placed","version":1}',
        '+ published:',
        '  1. {"name":"order:placed","version":1,"topic":"orders","payload":{"orderId":"o-1"}}',
        '  2. {"name":"order:paid","version":2,"payload":{"orderId":"o-1"}}',
        '  3. {"name":"order:shipped","version":1,"payload":null}',
      ].join('\n'),
    );
    expect(() => sink.assertPublishedInOrder({ name: 'order:placed' }, { name: 'order:placed' })).toThrow(
      /after event 1/,
    );
    expect(() => sink.assertPublishedInOrder()).toThrow(/at least one expected event/);
    sink.clear();
    expect(() => sink.assertPublishedInOrder({ name: 'x' })).toThrow(/published: nothing/);
  });
});
