import { EventClient } from '@events-protocol/client';
import { defineEvent, EventError, EventErrorType } from '@events-protocol/core';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { z } from 'zod';

const getUser = defineEvent({
  name: 'user:get',
  payload: z.object({ id: z.string() }),
  response: z.object({ id: z.string(), name: z.string() }),
});

const registry = new EventRegistry().on(getUser, (event) => {
  if (event.payload.id !== '42') throw new EventError(EventErrorType.NotFound, { code: 'USER_NOT_FOUND' });
  return { id: '42', name: 'Ada Lovelace' };
});
const port = Number(process.env['PORT'] ?? 8080);
const server = createEventServer(new EventProcessor(registry)).listen(port);

const client = new EventClient({ url: `http://localhost:${port}/events` });
const result = await client.send(getUser, { id: '42' });
if (result.kind === 'success') console.log(result.payload.name); // typed: string
await client.close();
server.close();
