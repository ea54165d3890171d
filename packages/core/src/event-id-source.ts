/** How an {@link EventIdSource} reads the time and draws random bytes (injected in tests). */
export interface EventIdSourceOptions {
  /** Milliseconds since the epoch; `Date.now` by default. */
  readonly now?: () => number;
  /** Fills the array with cryptographically strong random bytes; Web Crypto's `getRandomValues` by default. */
  readonly fillRandom?: (bytes: Uint8Array) => void;
  /** How many ids one refill of the random pool serves; 256 by default. */
  readonly idsPerRefill?: number;
}

/** Random bytes each id takes from the pool (uuid's v7 reads as many). */
const randomBytesPerId = 16;

/** Each byte's two lower-case hex digits. */
const hexOfByte: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function hex(byte: number): string {
  return hexOfByte[byte & 0xff] as string;
}

function webCryptoFill(bytes: Uint8Array): void {
  globalThis.crypto.getRandomValues(bytes);
}

/**
 * Makes v7 UUIDs, byte for byte as uuid's `v7` lays them out from the same time, counter and
 * random bytes, from random bytes drawn 256 ids at a time: uuid on its own asks Web Crypto for 16
 * bytes per id, and on Node that call costs more than the rest of the id. Every id still gets 16
 * fresh bytes (none is used twice), and ids stay strictly increasing within a source: uuid's own
 * rule. In the same millisecond (or when the clock steps back) the 32-bit counter after the
 * timestamp counts up; when it wraps, the timestamp moves on by one; a later millisecond restarts
 * it from 31 random bits. The text is written here rather than by uuid (its byte array and
 * options object per id cost as much as the rest of the id), and the timestamp's 12 hex digits
 * once per millisecond.
 */
export class EventIdSource {
  readonly #now: () => number;
  readonly #fillRandom: (bytes: Uint8Array) => void;
  readonly #pool: Uint8Array;
  #offset: number;
  #msecs = -Infinity;
  #seq = 0;
  /** `#msecs` as the id's first 13 characters (`xxxxxxxx-xxxx`), and the ms it was written for. */
  #timeText = '';
  #timeTextMsecs = Number.NaN;

  /** @throws {RangeError} when `idsPerRefill` is not an integer from 1 to 4096. */
  constructor(options: EventIdSourceOptions = {}) {
    const idsPerRefill = options.idsPerRefill ?? 256;
    // Web Crypto fills at most 65,536 bytes per call: 4096 ids.
    if (!Number.isInteger(idsPerRefill) || idsPerRefill < 1 || idsPerRefill > 4096) {
      throw new RangeError(`idsPerRefill must be an integer from 1 to 4096, got ${idsPerRefill}`);
    }
    this.#now = options.now ?? Date.now;
    this.#fillRandom = options.fillRandom ?? webCryptoFill;
    this.#pool = new Uint8Array(idsPerRefill * randomBytesPerId);
    this.#offset = this.#pool.length;
  }

  /** A new v7 UUID, greater than every id this source made before. */
  next(): string {
    if (this.#offset === this.#pool.length) {
      this.#fillRandom(this.#pool);
      this.#offset = 0;
    }
    const pool = this.#pool;
    const at = this.#offset;
    this.#offset += randomBytesPerId;
    const now = this.#now();
    if (now > this.#msecs) {
      // As uuid seeds it: 31 random bits, so that the counter has room to count up.
      this.#seq =
        (((pool[at + 6] as number) & 0x7f) << 24) |
        ((pool[at + 7] as number) << 16) |
        ((pool[at + 8] as number) << 8) |
        (pool[at + 9] as number);
      this.#msecs = now;
    } else {
      this.#seq = (this.#seq + 1) | 0;
      if (this.#seq === 0) this.#msecs++;
    }
    const seq = this.#seq;
    // uuid's v7 layout: version 7 and the counter's top 12 bits, the variant and its next 14 bits,
    // its last 6 bits and 2 random bits, then 5 random bytes.
    return (
      this.#timeTextOf(this.#msecs) +
      '-' +
      hex(0x70 | ((seq >>> 28) & 0x0f)) +
      hex(seq >>> 20) +
      '-' +
      hex(0x80 | ((seq >>> 14) & 0x3f)) +
      hex(seq >>> 6) +
      '-' +
      hex(((seq << 2) & 0xff) | ((pool[at + 10] as number) & 0x03)) +
      hex(pool[at + 11] as number) +
      hex(pool[at + 12] as number) +
      hex(pool[at + 13] as number) +
      hex(pool[at + 14] as number) +
      hex(pool[at + 15] as number)
    );
  }

  /** The 48-bit timestamp as 12 hex digits with uuid's dash after the eighth, its bytes taken as uuid takes them. */
  #timeTextOf(msecs: number): string {
    if (msecs !== this.#timeTextMsecs) {
      this.#timeText =
        hex(msecs / 0x10000000000) +
        hex(msecs / 0x100000000) +
        hex(msecs / 0x1000000) +
        hex(msecs / 0x10000) +
        '-' +
        hex(msecs / 0x100) +
        hex(msecs);
      this.#timeTextMsecs = msecs;
    }
    return this.#timeText;
  }
}
