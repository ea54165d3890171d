import { isHeaderName } from './check-publish-options.js';
import { PublishError, PublishErrorCode } from './publish-error.js';

/** An attribute value a topic publisher takes: numbers and booleans travel as their string form. */
export type TopicAttributeValue = string | number | boolean;

/** Attributes as a topic publisher takes them. */
export type TopicAttributes = Readonly<Record<string, TopicAttributeValue>>;

// What an HTTP header value carries unchanged: printable ASCII, no space at either end.
const value = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;

function invalid(message: string): PublishError {
  return new PublishError(PublishErrorCode.InvalidEvent, `invalid attributes: ${message}`);
}

/**
 * The attributes every sink receives the same, whatever it is: values as strings (`3` → `'3'`,
 * `true` → `'true'`) and keys in lowercase, as HTTP headers carry them.
 *
 * @throws {PublishError} `INVALID_EVENT` for anything else, naming the attribute: a value that is
 * `null`, `undefined`, an object or a non-finite number; a string that is not printable ASCII or
 * has a space at either end; a key that is not an HTTP token, or is `__proto__`; two keys differing
 * only in case.
 */
export function topicAttributes(attributes: unknown): Record<string, string> {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes))
    throw invalid('attributes must be an object of strings, numbers and booleans');
  const strings: Record<string, string> = {};
  for (const [name, raw] of Object.entries(attributes)) {
    // A header name, since HttpSink sends each attribute as a header.
    if (!isHeaderName(name))
      throw invalid(`the key ${JSON.stringify(name)} must be an HTTP token (letters, digits, !#$%&'*+.^_\`|~-)`);
    // Every reader that parses attributes into a plain object would drop it, or change its prototype.
    if (name.toLowerCase() === '__proto__') throw invalid(`the key "${name}" is reserved`);
    let text: string;
    if (typeof raw === 'string') text = raw;
    else if (typeof raw === 'boolean') text = String(raw);
    else if (typeof raw === 'number' && Number.isFinite(raw)) text = String(raw);
    else
      throw invalid(
        `'${name}' must be a string, a finite number or a boolean, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw === 'number' ? String(raw) : typeof raw}`,
      );
    if (!value.test(text))
      throw invalid(`'${name}' must be printable ASCII with no space at either end, got ${JSON.stringify(text)}`);
    const lower = name.toLowerCase();
    if (Object.hasOwn(strings, lower)) throw invalid(`two keys are '${lower}' once in lowercase`);
    strings[lower] = text;
  }
  return strings;
}
