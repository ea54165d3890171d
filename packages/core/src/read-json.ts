/**
 * Reading JSON without corrupting numbers. JVM services send integers beyond ±2^53 that
 * `JSON.parse` would round silently; those are read as `bigint`. A number no double can hold
 * (`1e400` overflows to Infinity, `1e-400` underflows to 0) is refused rather than changed.
 * Ordinary text, with no run of 16 or more digits and no exponent of three digits, keeps the
 * fast native path: only such text can hold either.
 */

const mayHoldUnusualNumber = /\d{16}|\d[eE][+-]?\d{3}/;

/** The deepest nesting of arrays and objects read by default: 512 levels. */
export const defaultMaxJsonDepth = 512;

/** How {@link readJson} reads. */
export interface ReadJsonOptions {
  /** The deepest nesting of arrays and objects accepted; {@link defaultMaxJsonDepth} by default. */
  maxDepth?: number;
}

/**
 * Parses JSON text like `JSON.parse`, except that integers outside the safe range become `bigint`,
 * numbers a double cannot hold are refused, and documents nested deeper than `maxDepth` are
 * refused (they would overflow the stack of whatever walks them next: validation, logging,
 * serialisation). Other numbers read as the nearest double, as `JSON.parse` reads them; `-0`
 * reads as negative zero, which is the same numeric value as `0` (and is written back as `0`).
 *
 * @throws {SyntaxError} when the text is not JSON; {@link JsonDepthError} when it is nested too
 * deep; {@link JsonNumberError} for a number beyond a double's range (`1e400`) or a non-zero one
 * that would round to zero (`1e-400`).
 */
export function readJson(text: string, options?: ReadJsonOptions): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const maxDepth = options?.maxDepth ?? defaultMaxJsonDepth;
  // Each level takes two characters at least: short texts cannot be too deep, and skip the scan.
  if (source.length > maxDepth * 2 && exceedsDepth(source, maxDepth)) {
    throw new JsonDepthError(`JSON nested deeper than ${maxDepth} levels`);
  }
  return mayHoldUnusualNumber.test(source) ? new BigIntJsonParser(source).parseDocument() : JSON.parse(source);
}

/** Decodes a body as UTF-8 (whatever charset it claims) and parses it with {@link readJson}. */
export function readJsonBody(body: string | Uint8Array, options?: ReadJsonOptions): unknown {
  return readJson(
    typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'),
    options,
  );
}

/** Thrown by {@link readJson} for a document nested deeper than allowed. */
export class JsonDepthError extends RangeError {
  override readonly name = 'JsonDepthError';
}

/**
 * Thrown by {@link readJson} for a number that a double cannot hold: beyond ±1.8e308, or non-zero
 * and closer to zero than 5e-324. Reading it would change its value (to Infinity or 0) silently.
 */
export class JsonNumberError extends RangeError {
  override readonly name = 'JsonNumberError';
}

function exceedsDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return false;
}

const numberPattern = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** A strict recursive-descent JSON parser, used only for text that may hold big integers. */
class BigIntJsonParser {
  private readonly text: string;
  private position = 0;

  constructor(text: string) {
    this.text = text;
  }

  parseDocument(): unknown {
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.position !== this.text.length) this.fail('Unexpected data after the JSON value');
    return value;
  }

  private parseValue(): unknown {
    this.skipWhitespace();
    const char = this.text[this.position];
    switch (char) {
      case '{':
        return this.parseObject();
      case '[':
        return this.parseArray();
      case '"':
        return this.parseString();
      case 't':
        return this.parseLiteral('true', true);
      case 'f':
        return this.parseLiteral('false', false);
      case 'n':
        return this.parseLiteral('null', null);
      case undefined:
        return this.fail('Unexpected end of JSON input');
      default:
        return this.parseNumber();
    }
  }

  private parseObject(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] === '}') {
      this.position++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') this.fail('Expected a property name');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.position] !== ':') this.fail("Expected ':'");
      this.position++;
      const value = this.parseValue();
      // An own property, as JSON.parse creates: assigning `__proto__` would set the prototype.
      if (key === '__proto__')
        Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      else result[key] = value;
      this.skipWhitespace();
      const next = this.text[this.position++];
      if (next === '}') return result;
      if (next !== ',') this.fail("Expected ',' or '}'");
    }
  }

  private parseArray(): unknown[] {
    const result: unknown[] = [];
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] === ']') {
      this.position++;
      return result;
    }
    for (;;) {
      result.push(this.parseValue());
      this.skipWhitespace();
      const next = this.text[this.position++];
      if (next === ']') return result;
      if (next !== ',') this.fail("Expected ',' or ']'");
    }
  }

  private parseString(): string {
    const start = this.position;
    let end = start + 1;
    for (;;) {
      const code = this.text.charCodeAt(end);
      if (Number.isNaN(code)) this.fail('Unterminated string');
      if (code === 0x22) break;
      if (code === 0x5c) end++;
      else if (code < 0x20) this.fail('Control character in string');
      end++;
    }
    this.position = end + 1;
    // The native parser decodes escapes exactly as JSON defines them.
    return JSON.parse(this.text.slice(start, end + 1)) as string;
  }

  private parseNumber(): number | bigint {
    numberPattern.lastIndex = this.position;
    const match = numberPattern.exec(this.text);
    if (match === null) this.fail('Unexpected token');
    const literal = match[0];
    this.position += literal.length;
    const number = Number(literal);
    if (match[1] === undefined && match[2] === undefined) {
      return Number.isSafeInteger(number) ? number : BigInt(literal);
    }
    if (!Number.isFinite(number)) this.refuseNumber(literal, 'is beyond the range of a double');
    if (number === 0 && /[1-9]/.test(literal.slice(0, literal.length - (match[2]?.length ?? 0)))) {
      this.refuseNumber(literal, 'is too close to zero for a double');
    }
    return number;
  }

  private parseLiteral<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.position)) this.fail('Unexpected token');
    this.position += word.length;
    return value;
  }

  private skipWhitespace(): void {
    while (WHITESPACE.has(this.text.charCodeAt(this.position))) this.position++;
  }

  private refuseNumber(literal: string, reason: string): never {
    const shown = literal.length > 40 ? `${literal.slice(0, 37)}...` : literal;
    throw new JsonNumberError(`The number ${shown} ${reason} (at position ${this.position - literal.length})`);
  }

  private fail(reason: string): never {
    throw new SyntaxError(`${reason} in JSON at position ${this.position}`);
  }
}
