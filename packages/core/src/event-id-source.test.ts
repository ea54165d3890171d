import { randomInt } from 'node:crypto';
import { v7 as uuidv7, validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { EventIdSource } from './event-id-source.js';

/** The timestamp an id carries, in ms since the epoch (its first 48 bits). */
function timestampOf(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** A clock that replays the given readings, then keeps the last. */
function replay(readings: readonly number[]): () => number {
  let index = 0;
  return () => readings[Math.min(index++, readings.length - 1)] as number;
}

/** Whether every id is a v7 UUID greater than the one before it. */
function increasingV7(ids: readonly string[]): boolean {
  return ids.every(
    (id, index) => validate(id) && version(id) === 7 && (index === 0 || (ids[index - 1] as string) < id),
  );
}

describe('EventIdSource', () => {
  it('makes strictly increasing v7 ids whatever the clock does (random clocks, property)', () => {
    for (let run = 0; run < 200; run++) {
      // Runs of equal readings, steps forward and steps back, around a random start.
      const readings: number[] = [];
      let now = 1_700_000_000_000 + randomInt(1_000_000);
      for (let step = 0; step < 300; step++) {
        const move = randomInt(10);
        if (move < 5) now += 0;
        else if (move < 8) now += randomInt(1, 5);
        else now -= randomInt(1, 50);
        readings.push(now);
      }
      const source = new EventIdSource({ now: replay(readings), idsPerRefill: 1 + randomInt(8) });
      const ids = readings.map(() => source.next());
      expect(increasingV7(ids)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      // An id never carries a time before the latest reading (the clock stepping back keeps the later one).
      let latest = -Infinity;
      const late = ids.filter((id, index) => {
        latest = Math.max(latest, readings[index] as number);
        return timestampOf(id) < latest;
      });
      expect(late).toEqual([]);
    }
  });

  it('carries the time when the clock moves on, and counts past 2^31 in order', () => {
    const allOnes = (bytes: Uint8Array) => bytes.fill(0xff);
    const source = new EventIdSource({ now: replay([1000, 1000, 5000]), fillRandom: allOnes });
    expect(timestampOf(source.next())).toBe(1000);
    expect(timestampOf(source.next())).toBe(1000);
    expect(timestampOf(source.next())).toBe(5000);

    // 31 bits of ones seed the counter at its highest start: the next counts cross into the sign bit.
    const crossing = new EventIdSource({ now: () => 7000, fillRandom: allOnes });
    const ids = Array.from({ length: 3 }, () => crossing.next());
    expect(ids.map(timestampOf)).toEqual([7000, 7000, 7000]);
    expect(increasingV7(ids)).toBe(true);
  });

  it('gives every id 16 bytes of its own and refills the pool once per batch', () => {
    let fills = 0;
    let counter = 0;
    const source = new EventIdSource({
      now: () => 42,
      idsPerRefill: 4,
      fillRandom: (bytes) => {
        fills++;
        for (let index = 0; index < bytes.length; index++) bytes[index] = counter++ & 0xff;
      },
    });
    const ids = Array.from({ length: 9 }, () => source.next());
    expect(fills).toBe(3);
    // The last five random bytes of each id are its own slice of the pool: 16 apart.
    const tails = ids.map((id) => Number.parseInt(id.slice(-10), 16));
    for (let index = 1; index < tails.length; index++) expect(tails[index]).not.toBe(tails[index - 1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("writes each id as uuid's v7 writes it from the same time, counter and random bytes (random clocks and bytes, property)", () => {
    for (let run = 0; run < 200; run++) {
      // Bytes the test keeps a copy of, and clock readings anywhere in the 48-bit range, with repeats and steps back.
      const drawn: Uint8Array[] = [];
      const fillRandom = (bytes: Uint8Array) => {
        crypto.getRandomValues(bytes);
        if (run % 4 === 0) bytes.fill(0xff, 0, randomInt(bytes.length));
        drawn.push(bytes.slice());
      };
      let now = randomInt(2 ** 47) * 2 + randomInt(2);
      const readings = Array.from({ length: 100 }, () => (now += randomInt(3) === 0 ? 0 : randomInt(-3, 4)));
      const idsPerRefill = 1 + randomInt(6);
      const source = new EventIdSource({ now: replay(readings), idsPerRefill, fillRandom });
      // uuid's own rule for the counter, then uuid's own layout of the 16 bytes.
      let msecs = -Infinity;
      let seq = 0;
      for (let index = 0; index < readings.length; index++) {
        const id = source.next();
        const pool = drawn[Math.floor(index / idsPerRefill)] as Uint8Array;
        const random = pool.subarray((index % idsPerRefill) * 16, (index % idsPerRefill) * 16 + 16);
        const reading = readings[index] as number;
        if (reading > msecs) {
          seq =
            (((random[6] as number) & 0x7f) << 24) |
            ((random[7] as number) << 16) |
            ((random[8] as number) << 8) |
            (random[9] as number);
          msecs = reading;
        } else {
          seq = (seq + 1) | 0;
          if (seq === 0) msecs++;
        }
        expect(id).toBe(uuidv7({ random, msecs, seq }));
      }
    }
  });

  it('refuses a pool size Web Crypto cannot fill', () => {
    expect(() => new EventIdSource({ idsPerRefill: 0 })).toThrow(RangeError);
    expect(() => new EventIdSource({ idsPerRefill: 4097 })).toThrow(RangeError);
  });
});
