import type { StreamInfo } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { assessStreamDurability, supportsSyncAlways } from './stream-durability.js';

function info(storage: 'file' | 'memory', replicas: number): StreamInfo {
  return { config: { name: 'ORDERS', storage, num_replicas: replicas } } as unknown as StreamInfo;
}

const codes = (report: ReturnType<typeof assessStreamDurability>): string[] => report.risks.map((risk) => risk.code);

describe('assessStreamDurability', () => {
  it('is quiet for file storage, 3 replicas and servers that sync always', () => {
    expect(codes(assessStreamDurability(info('file', 3), { serverVersion: '2.10.4', syncInterval: 'always' }))).toEqual(
      [],
    );
    expect(codes(assessStreamDurability(info('file', 5), { serverVersion: '2.12.1', syncInterval: 'Always' }))).toEqual(
      [],
    );
  });

  it('names memory storage and too few replicas', () => {
    const report = assessStreamDurability(info('memory', 1), { serverVersion: '2.11.0', syncInterval: 'always' });
    expect(codes(report)).toEqual(['MEMORY_STORAGE', 'FEW_REPLICAS']);
    expect(report.risks[1]?.message).toBe(
      'stream ORDERS has 1 replica: one failed node can lose acknowledged messages; use 3',
    );
    expect(codes(assessStreamDurability(info('file', 2), { serverVersion: '2.11.0', syncInterval: 'always' }))).toEqual(
      ['FEW_REPLICAS'],
    );
  });

  it('warns about the sync interval: too old a server, another interval, or one it cannot know', () => {
    expect(codes(assessStreamDurability(info('file', 3), { serverVersion: '2.9.10', syncInterval: 'always' }))).toEqual(
      ['SYNC_NOT_ALWAYS'],
    );
    const twoMinutes = assessStreamDurability(info('file', 3), { serverVersion: '2.10.0', syncInterval: '2m' });
    expect(twoMinutes.risks[0]?.message).toContain('sync_interval is 2m, not `always`');
    expect(codes(assessStreamDurability(info('file', 3), { serverVersion: '2.10.0' }))).toEqual(['SYNC_UNKNOWN']);
  });

  it('reads a replica count of 0 as the one replica JetStream makes of it', () => {
    expect(assessStreamDurability(info('file', 0), { syncInterval: 'always' }).replicas).toBe(1);
  });
});

describe('supportsSyncAlways', () => {
  it('is true from 2.10 on', () => {
    expect(['2.9.25', '1.4.0'].map(supportsSyncAlways)).toEqual([false, false]);
    expect(['2.10.0', '2.12.1', '3.0.0'].map(supportsSyncAlways)).toEqual([true, true, true]);
  });
});
