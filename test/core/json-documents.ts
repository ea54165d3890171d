/**
 * Generated JSON text for the readJson tests: documents with big integers, exponents at and past
 * a double's range, nesting, unicode and escapes, "__proto__" and duplicate keys, and broken ones.
 */
import fc from 'fast-check';

const digitCharacters = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...digitCharacters), minLength: min, maxLength: max });
const leadingDigit = fc.constantFrom(...digitCharacters.slice(1));
const sign = fc.constantFrom('', '-');

const integerLiteral = fc.oneof(
  fc.tuple(sign, leadingDigit, digits(0, 24)).map(([s, first, rest]) => s + first + rest),
  fc.constantFrom('0', '-0'),
  // Around the edges of the safe range and of 64 bits.
  fc
    .tuple(fc.constantFrom(2n ** 53n, 2n ** 63n, 2n ** 64n, 10n ** 16n), fc.integer({ min: -3, max: 3 }), sign)
    .map(([edge, offset, s]) => s + String(edge + BigInt(offset))),
);

const decimalLiteral = fc
  .tuple(
    sign,
    fc.oneof(
      fc.constant('0'),
      fc.tuple(leadingDigit, digits(0, 20)).map(([a, b]) => a + b),
    ),
    fc.option(digits(1, 20), { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 4)), { nil: undefined }),
  )
  .filter(([, , fraction, exponent]) => fraction !== undefined || exponent !== undefined)
  .map(
    ([s, whole, fraction, exponent]) =>
      s + whole + (fraction === undefined ? '' : `.${fraction}`) + (exponent === undefined ? '' : exponent.join('')),
  );

const edgeLiteral = fc.constantFrom(
  '1e400',
  '-1E+400',
  '1e-400',
  '0e-999',
  '-0.0e5',
  '0.000E+999',
  '5e-324',
  '2e-324',
  '3e-324',
  '2.4703282292062328e-324',
  '2.4703282292062327e-324',
  '1.7976931348623157e308',
  '1.7976931348623158e308',
  '1.797693134862316e308',
  '9007199254740993.0',
  '1e20',
  // No three-digit exponent, yet beyond a double: 309 digits, or 330 zeros after the point.
  `1${'0'.repeat(308)}.5`,
  `1${'0'.repeat(300)}e9`,
  `0.${'0'.repeat(330)}1`,
  `-0.${'0'.repeat(250)}1e-80`,
  `0.${'0'.repeat(330)}`,
);

export const numberLiteral = fc.oneof(
  integerLiteral,
  decimalLiteral,
  edgeLiteral,
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
);

const stringLiteral = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }).map((text) => JSON.stringify(text)),
  digits(16, 30).map((text) => `"${text}"`),
  fc.constantFrom('"1e400"', '"\\ud800"', '"\\ud83d\\ude00"', '"caf\\u00e9"', '"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"😀é"'),
);

const key = fc.oneof(
  stringLiteral,
  fc.constantFrom('"__proto__"', '"\\u005f_proto__"', '"constructor"', '"prototype"', '"0"', '"1"', '"10"', '"a"'),
);

const whitespace = fc.constantFrom('', '', ' ', '\n', '\t', '\r\n  ');

export const { document } = fc.letrec((tie) => ({
  document: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberLiteral,
    stringLiteral,
    fc.constantFrom('true', 'false', 'null'),
    tie('array'),
    tie('object'),
  ),
  array: fc
    .tuple(whitespace, fc.array(tie('document'), { maxLength: 5 }))
    .map(([space, items]) => `[${space}${items.join(`${space},${space}`)}${space}]`),
  object: fc
    .tuple(whitespace, fc.array(fc.tuple(key, tie('document')), { maxLength: 5 }))
    .map(
      ([space, entries]) =>
        `{${space}${entries.map(([name, value]) => `${name}${space}:${space}${value}`).join(`,${space}`)}${space}}`,
    ),
})) as { document: fc.Arbitrary<string> };

/** A document broken (or not) by one edit: a character dropped, added, or the rest cut off. */
export const brokenDocument = fc
  .tuple(
    document,
    fc.nat(),
    fc.constantFrom('drop', 'insert', 'cut'),
    fc.constantFrom(',', ':', '[', ']', '{', '}', '"', '\\', 'e', '-', '+', '.', '0', ' ', 'x', '\u0001'),
  )
  .map(([text, at, edit, character]) => {
    const index = at % (text.length + 1);
    if (edit === 'drop') return text.slice(0, index) + text.slice(index + 1);
    if (edit === 'cut') return text.slice(0, index);
    return text.slice(0, index) + character + text.slice(index);
  });
