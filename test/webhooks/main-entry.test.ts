import { describe, expect, it } from 'vitest';
import { importAlone } from './store-contract.js';

describe('the main entry of @events-protocol/webhooks', () => {
  it('loads no database driver and exports no store: those are the /sqlite, /postgres and /redis subpaths', async () => {
    const { exports, drivers } = await importAlone('@events-protocol/webhooks');
    expect(drivers).toEqual([]);
    expect(exports.filter((name) => /Store$/.test(name))).toEqual([]);
    expect(exports).toEqual(expect.arrayContaining(['WebhookDispatcher', 'WebhookDeliverySink']));
    // Express is an optional peer: its router is the /express subpath.
    expect(exports).not.toContain('webhooksRouter');
  });

  it('serves the admin router from /express', async () => {
    const { exports } = await importAlone('@events-protocol/webhooks/express');
    expect(exports).toEqual(['webhooksRouter']);
  });
});
