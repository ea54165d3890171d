import { describe, expect, it } from 'vitest';
import { guardedLookup } from './guarded-connector.js';
import { CompiledTargetPolicy, checkTargetUrl, isBlockedAddress, type TargetPolicy } from './target-policy.js';
import type { TargetLookup } from './target-lookup.js';

describe('the webhook target policy', () => {
  it('blocks loopback, private, link-local, CGNAT, metadata, multicast and reserved addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '192.0.2.1',
      '198.18.0.1',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      'fec0::1',
      'ff02::1',
      '2001:db8::1',
      '2001::1',
      '64:ff9b:1::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:0:7f00:1',
      '::7f00:1',
      '64:ff9b::a00:1',
      '2002:c0a8:101::1',
      '0x7f.1',
      '2130706433',
      'not an address',
    ]) {
      expect(isBlockedAddress(address), address).toBe(true);
    }
    for (const address of [
      '93.184.216.34',
      '8.8.8.8',
      '172.32.0.1',
      '2606:4700::1111',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
      '2002:808:808::1',
    ]) {
      expect(isBlockedAddress(address), address).toBe(false);
    }
  });

  it('refuses non-http(s) and private targets unless the policy allows them', () => {
    expect(() => checkTargetUrl('ftp://example.com/hook')).toThrow(/must be http\(s\)/);
    expect(() => checkTargetUrl('http://127.0.0.1:8080/hook')).toThrow(/not a public address \(loopback\)/);
    expect(() => checkTargetUrl('http://[::1]/hook')).toThrow(/not a public address/);
    expect(() => checkTargetUrl('http://localhost/hook')).toThrow(/not a public address/);
    expect(() => checkTargetUrl('not a url')).toThrow(/not a URL/);
    expect(checkTargetUrl('https://hooks.example.com/x').hostname).toBe('hooks.example.com');
    expect(checkTargetUrl('http://127.0.0.1/hook', { allowPrivateNetworks: true }).port).toBe('');
    expect(checkTargetUrl('http://localhost/hook', { allowedHosts: ['localhost'] }).hostname).toBe('localhost');
    expect(checkTargetUrl('http://[::ffff:10.1.2.3]/', { allow: ['10.0.0.0/8'] }).hostname).toBe('[::ffff:a01:203]');
    expect(() => checkTargetUrl('http://10.1.2.3/', { allow: ['10.1.0.0/16', '127.0.0.1'] })).not.toThrow();
    expect(() => checkTargetUrl('http://10.2.0.1/', { allow: ['10.1.0.0/16'] })).toThrow(/10\.2\.0\.1/);
    expect(() => checkTargetUrl('http://169.254.169.254/', { allowedHosts: ['169.254.169.254'] })).toThrow(
      /cloud metadata/,
    );
  });

  it('refuses an allow-list entry that is neither a CIDR range nor an address', () => {
    for (const allow of ['10.0.0.0/33', 'ten', '::1/129']) {
      expect(() => new CompiledTargetPolicy({ allow: [allow] }), allow).toThrow(/not a CIDR range/);
    }
  });

  it('refuses at lookup time a name with any refused answer', async () => {
    const answers: Record<string, string[]> = {
      'mixed.test': ['93.184.216.34', '10.0.0.1'],
      'public.test': ['93.184.216.34'],
    };
    const lookup: TargetLookup = (hostname) =>
      Promise.resolve((answers[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
    const resolve = (hostname: string, policy: TargetPolicy = {}) =>
      new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((done) => {
        guardedLookup(new CompiledTargetPolicy(policy), lookup)(hostname, { all: true }, (error, address) =>
          done({ error, address }),
        );
      });
    const mixed = await resolve('mixed.test');
    expect(mixed.error?.message).toMatch(/mixed\.test resolves to 10\.0\.0\.1 is not a public address/);
    expect((await resolve('public.test')).address).toEqual([{ address: '93.184.216.34', family: 4 }]);
    expect((await resolve('mixed.test', { allowedHosts: ['mixed.test'] })).error).toBeNull();
    expect((await resolve('nowhere.test')).error?.message).toMatch(/resolves to no address/);
  });
});
