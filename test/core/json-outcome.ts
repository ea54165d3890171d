/** The outcome of reading JSON as comparable text, for the readJson tests. */

/** The outcome of reading, as text that differs for any difference: values, -0, bigint, keys, prototypes. */
export function outcome(read: (text: string) => unknown, text: string): string {
  try {
    return canonical(read(text));
  } catch (error) {
    return error instanceof Error ? `throws ${error.constructor.name}: ${error.message}` : 'throws a non-error';
  }
}

export function canonical(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const prototype = Object.getPrototypeOf(value) === Array.prototype ? '' : '(prototype changed)';
    return `${prototype}[${value.map(canonical).join(',')}]`;
  }
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) === Object.prototype ? '' : '(prototype changed)';
    const properties = Reflect.ownKeys(value).map((name) => {
      const property = Object.getOwnPropertyDescriptor(value, name)!;
      const plain = property.writable === true && property.enumerable === true && property.configurable === true;
      return `${JSON.stringify(String(name))}${plain ? '' : '(not plain)'}:${canonical(property.value)}`;
    });
    return `${prototype}{${properties.join(',')}}`;
  }
  return `(a ${typeof value})`;
}
