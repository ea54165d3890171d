import { EventClient } from '@events-protocol/client';
import { defineEvent } from '@events-protocol/core';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { z } from 'zod';

const getUser = defineEvent({
  name: 'user:get',
  payload: z.object({ id: z.string() }),
  response: z.object({ id: z.string(), name: z.string() }),
  errors: { notFound: z.object({ id: z.string() }) },
});

const registry = new EventRegistry().on(getUser, (event) => {
  if (event.payload.id !== '42') throw getUser.error('notFound', { id: event.payload.id });
  return { id: '42', name: 'Ada Lovelace' };
});
const port = Number(process.env['PORT'] ?? 8080);
const server = createEventServer(new EventProcessor(registry)).listen(port);

const client = new EventClient({ url: `http://localhost:${port}/events` });
const result = await client.send(getUser, { id: '42' });
if (result.kind === 'success') console.log(result.payload.name); // typed: string
if (result.kind === 'error' && result.declared) console.log(`no user ${result.parameters.id}`); // typed too
await client.close();
server.close();
