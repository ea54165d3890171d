/**
 * Gives each event version an identifier AsyncAPI and OpenAPI accept as a key (letters, digits,
 * `.`, `-`, `_`), stable for a name and version and unique within one document: `user:get` v2 is
 * `user-get.v2`; a second name that would map to the same key gets a numbered suffix.
 */
export class DocumentIds {
  readonly #taken = new Set<string>();
  readonly #given = new Map<string, string>();

  /** The identifier of `name` at `version`, the same on every call; `suffix` tells kinds apart. */
  idFor(name: string, version: number, suffix = ''): string {
    const key = `${name}\u0000${version}\u0000${suffix}`;
    const given = this.#given.get(key);
    if (given !== undefined) return given;
    const readable = name.replace(/[^A-Za-z0-9_]+/g, '-').replace(/^-+|-+$/g, '') || 'event';
    const base = `${readable}.v${version}${suffix === '' ? '' : `.${suffix.replace(/[^A-Za-z0-9_-]+/g, '-')}`}`;
    let id = base;
    for (let n = 2; this.#taken.has(id); n += 1) id = `${base}_${n}`;
    this.#taken.add(id);
    this.#given.set(key, id);
    return id;
  }
}
