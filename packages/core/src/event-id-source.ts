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

const hexDigits = '0123456789abcdef';
/** Each byte's first and second lower-case hex digit, as character codes. */
const firstDigits = Uint8Array.from({ length: 256 }, (_, byte) => hexDigits.charCodeAt(byte >> 4));
const secondDigits = Uint8Array.from({ length: 256 }, (_, byte) => hexDigits.charCodeAt(byte & 0x0f));
const dash = 0x2d;

/** The first hex digit of a number's lowest byte, as a character code. */
function first(value: number): number {
  return firstDigits[value & 0xff] as number;
}

/** The second hex digit of a number's lowest byte, as a character code. */
function second(value: number): number {
  return secondDigits[value & 0xff] as number;
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
 * options object per id cost as much as the rest of the id), in one `String.fromCharCode` call: a
 * flat string, where the same text joined from its pieces is a tree of them that
 * `JSON.stringify`, and every hash or comparison of the id, first has to flatten (about 0.1 µs
 * per id on Node 20, 22 and 24, making it and writing it).
 */
export class EventIdSource {
  readonly #now: () => number;
  readonly #fillRandom: (bytes: Uint8Array) => void;
  readonly #pool: Uint8Array;
  #offset: number;
  #msecs = -Infinity;
  #seq = 0;

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
    const msecs = this.#msecs;
    // uuid's v7 layout: the 48-bit timestamp, version 7 and the counter's top 12 bits, the variant
    // and its next 14 bits, its last 6 bits and 2 random bits, then 5 random bytes.
    const time0 = msecs / 0x10000000000;
    const time1 = msecs / 0x100000000;
    const time2 = msecs / 0x1000000;
    const time3 = msecs / 0x10000;
    const time4 = msecs / 0x100;
    const version = 0x70 | ((seq >>> 28) & 0x0f);
    const counter1 = seq >>> 20;
    const variant = 0x80 | ((seq >>> 14) & 0x3f);
    const counter3 = seq >>> 6;
    const counter4 = ((seq << 2) & 0xff) | ((pool[at + 10] as number) & 0x03);
    const random0 = pool[at + 11] as number;
    const random1 = pool[at + 12] as number;
    const random2 = pool[at + 13] as number;
    const random3 = pool[at + 14] as number;
    const random4 = pool[at + 15] as number;
    // prettier-ignore
    return String.fromCharCode(
      first(time0), second(time0), first(time1), second(time1),
      first(time2), second(time2), first(time3), second(time3), dash,
      first(time4), second(time4), first(msecs), second(msecs), dash,
      first(version), second(version), first(counter1), second(counter1), dash,
      first(variant), second(variant), first(counter3), second(counter3), dash,
      first(counter4), second(counter4), first(random0), second(random0), first(random1), second(random1),
      first(random2), second(random2), first(random3), second(random3), first(random4), second(random4),
    );
  }
}
