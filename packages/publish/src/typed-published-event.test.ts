import { definePublishedEvent } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isPublishError } from './publish-error.js';
import { RecordingSink } from './sinks/recording-sink.js';
import { TopicPublisher } from './topic-publisher.js';
import { publishEvent } from './typed-published-event.js';

const userCreated = definePublishedEvent({
  name: 'user:created',
  version: 3,
  payload: z.object({ userId: z.string() }),
});

describe('typed publishing', () => {
  it('publishes a valid payload with the given fields, and refuses a bad one before the sink', async () => {
    const sink = new RecordingSink();
    const { event } = await publishEvent(
      sink,
      userCreated,
      { userId: 'u' },
      { fields: { id: 'fixed' }, topic: 'users' },
    );
    expect(event).toMatchObject({ id: 'fixed', name: 'user:created', version: 3 });
    const refused = await publishEvent(sink, userCreated, { userId: 7 } as never).catch((error: unknown) => error);
    expect(isPublishError(refused) && refused.code).toBe('INVALID_EVENT');
    expect(isPublishError(refused) && refused.issues.map((issue) => issue.path)).toEqual([['userId']]);
    expect(sink.events.map((recorded) => recorded.id)).toEqual(['fixed']);
  });

  it('TopicPublisher refuses a contract event changed after it was made', async () => {
    const sink = new RecordingSink();
    const topics = new TopicPublisher({ users: sink });
    await topics.publishEvent('users', userCreated, { userId: 'a' });
    const changed = userCreated.create({ userId: 'b' });
    (changed.payload as { userId: unknown }).userId = null;
    await expect(topics.publish('users', changed)).rejects.toMatchObject({ code: 'INVALID_EVENT' });
    expect(sink.events).toHaveLength(1);
  });
});
