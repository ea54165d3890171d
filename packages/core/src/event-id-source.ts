import { v7 as uuidv7 } from 'uuid';

/** How an {@link EventIdSource} reads the time and draws random bytes (injected in tests). */
export interface EventIdSourceOptions {
  /** Milliseconds since the epoch; `Date.now` by default. */
  readonly now?: () => number;
  /** Fills the array with cryptographically strong random bytes; Web Crypto's `getRandomValues` by default. */
  readonly fillRandom?: (bytes: Uint8Array) => void;
  /** How many ids one refill of the random pool serves; 256 by default. */
  readonly idsPerRefill?: number;
}

/** Bytes uuid's v7 reads from its random input. */
const randomBytesPerId = 16;

function webCryptoFill(bytes: Uint8Array): void {
  globalThis.crypto.getRandomValues(bytes);
}

/**
 * Makes v7 UUIDs with uuid's `v7`, from random bytes drawn 256 ids at a time: uuid on its own asks
 * Web Crypto for 16 bytes per id, and on Node that call costs more than the rest of the id. Every
 * id still gets 16 fresh bytes (none is used twice), and ids stay strictly increasing within a
 * source: uuid's own rule, kept here because uuid keeps it only when it draws the bytes itself.
 * In the same millisecond (or when the clock steps back) the 32-bit counter after the timestamp
 * counts up; when it wraps, the timestamp moves on by one; a later millisecond restarts it from
 * 31 random bits.
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
    const random = this.#pool.subarray(this.#offset, this.#offset + randomBytesPerId);
    this.#offset += randomBytesPerId;
    const now = this.#now();
    if (now > this.#msecs) {
      // As uuid seeds it: 31 random bits, so that the counter has room to count up.
      this.#seq =
        (((random[6] as number) & 0x7f) << 24) |
        ((random[7] as number) << 16) |
        ((random[8] as number) << 8) |
        (random[9] as number);
      this.#msecs = now;
    } else {
      this.#seq = (this.#seq + 1) | 0;
      if (this.#seq === 0) this.#msecs++;
    }
    return uuidv7({ random, msecs: this.#msecs, seq: this.#seq });
  }
}
