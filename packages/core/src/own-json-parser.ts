/**
 * Our own JSON parser: reads integers outside the safe range as `bigint` and refuses numbers a
 * double cannot hold (see json-number-literal.ts). `readJson` uses it for text that may hold such
 * numbers where `JSON.parse` gives a reviver no source text (Node 20), and to name the refusal of
 * text the source-text path refuses, so that both paths refuse with the same error.
 */
import { JsonNumberError } from './json-read-errors.js';
import { numberLiteralRefusal, numberRefusalMessage } from './json-number-literal.js';

/**
 * Parses JSON text (without a byte-order mark) with our own parser.
 *
 * @throws {SyntaxError} when the text is not JSON; {@link JsonNumberError} for a number a double
 * cannot hold.
 */
export function parseJsonWithOwnParser(text: string): unknown {
  return new OwnJsonParser(text).parseDocument();
}

const numberPattern = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** A strict recursive-descent JSON parser, for text that may hold unusual numbers. */
class OwnJsonParser {
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
    const refusal = numberLiteralRefusal(literal, number);
    if (refusal !== undefined) {
      throw new JsonNumberError(numberRefusalMessage(literal, refusal, this.position - literal.length));
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

  private fail(reason: string): never {
    throw new SyntaxError(`${reason} in JSON at position ${this.position}`);
  }
}
