import { describe, expect, it } from 'vitest';
import { checkTargetUrl, guardedLookup, isBlockedAddress } from './target-policy.js';

describe('the webhook target policy', () => {
  it('blocks loopback, private, link-local, CGNAT, metadata and multicast addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ]) {
      expect(isBlockedAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111']) {
      expect(isBlockedAddress(address), address).toBe(false);
    }
  });

  it('refuses non-http(s) and private targets unless the policy allows them', () => {
    expect(() => checkTargetUrl('ftp://example.com/hook')).toThrow(/must be http\(s\)/);
    expect(() => checkTargetUrl('http://127.0.0.1:8080/hook')).toThrow(/private or loopback/);
    expect(() => checkTargetUrl('http://[::1]/hook')).toThrow(/private or loopback/);
    expect(() => checkTargetUrl('http://localhost/hook')).toThrow(/private or loopback/);
    expect(() => checkTargetUrl('not a url')).toThrow(/not a URL/);
    expect(checkTargetUrl('https://hooks.example.com/x').hostname).toBe('hooks.example.com');
    expect(checkTargetUrl('http://127.0.0.1/hook', { allowPrivateNetworks: true }).port).toBe('');
    expect(checkTargetUrl('http://localhost/hook', { allowedHosts: ['localhost'] }).hostname).toBe('localhost');
  });

  it('refuses at connect time a name that resolves to a blocked address', async () => {
    const lookup = (policy: Parameters<typeof guardedLookup>[0]) =>
      new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) => {
        guardedLookup(policy)('localhost', {}, (error, address) => resolve({ error, address }));
      });
    const refused = await lookup({});
    expect(refused.error?.code).toBe('EWEBHOOKTARGETBLOCKED');
    const allowed = await lookup({ allowedHosts: ['localhost'] });
    expect(allowed.error).toBeNull();
    expect(isBlockedAddress(allowed.address as string)).toBe(true);
  });
});
