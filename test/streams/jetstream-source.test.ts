import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterAll, describe } from 'vitest';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { startJetStream } from './jetstream-harness.js';
import { describeStreamSourceContract } from './source-contract.js';

describe('JetStreamSource on a real nats-server', () => {
  let server: NatsServer | undefined;
  let connection: NatsConnection | undefined;
  afterAll(async () => {
    await connection?.drain();
    await server?.stop();
  });
  describeStreamSourceContract('JetStream durable pull consumer', async () => {
    server ??= await startNatsServer();
    connection ??= await connect({ servers: server.url });
    return startJetStream(connection, server.url);
  });
});
