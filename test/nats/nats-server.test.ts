import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { startNatsCluster, startNatsServer } from '../support/nats-server.js';

describe('the nats-server test helper', () => {
  it('starts a single JetStream server that answers JetStream requests', async () => {
    await using server = await startNatsServer();
    const connection = await connect({ servers: server.url });
    try {
      const manager = await jetstreamManager(connection);
      const info = await manager.getAccountInfo();
      expect(info.streams).toBe(0);
    } finally {
      await connection.close();
    }
  });

  it('starts a 3-node cluster that elects a meta leader again after its leader is SIGKILLed', async () => {
    await using cluster = await startNatsCluster();
    expect(cluster.nodes).toHaveLength(3);
    const leader = await cluster.metaLeader();
    const index = cluster.nodes.findIndex((node) => node.name === leader);
    expect(index).toBeGreaterThanOrEqual(0);
    await cluster.kill(index);
    expect(cluster.nodes[index]?.running).toBe(false);
    await cluster.waitUntilReady();
    const next = await cluster.metaLeader();
    expect(next).toBeDefined();
    expect(next).not.toBe(leader);
    await cluster.restart(index);
    expect(cluster.nodes[index]?.running).toBe(true);
  }, 120_000);
});
