// Arbitraries shared by the fuzzers: text that breaks naive code (NUL, lone surrogates, bidi, huge, cut pairs),
// values of the wrong type, and JSON of any shape.
import fc from 'fast-check';

/** An unpaired UTF-16 surrogate: valid in a JS string and in JSON (`\udc00`), refused by PostgreSQL and UTF-8. */
export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

const awkward = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2028',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\u0301',
  '😀',
  '👩‍👩‍👧',
  'é',
  'ß',
  'İ',
  '\\',
  '"',
  "'",
  '`',
  '%',
  '%00',
  '$',
  '{',
  '}',
  '<',
  '>',
  '&',
  '/',
  '..',
  '\t',
  '\n',
  '\r',
  ' ',
);

/** One "character" of odd text: mostly plain, often awkward. */
export const oddUnit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: awkward },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: loneSurrogate },
);

/** Text up to `maxLength` units, with NUL, lone surrogates and friends. */
export function oddText(maxLength = 24): fc.Arbitrary<string> {
  return fc.string({ unit: oddUnit, maxLength });
}

/**
 * A long string kept as "unit × times + tail": JSON.stringify writes the string itself (toJSON), while a
 * counterexample prints as `"a".repeat(40000)` instead of forty thousand characters.
 */
export class Repeated {
  readonly unit: string;
  readonly times: number;
  readonly tail: string;

  constructor(unit: string, times: number, tail = '') {
    this.unit = unit;
    this.times = times;
    this.tail = tail;
  }

  toJSON(): string {
    return this.unit.repeat(this.times) + this.tail;
  }

  [fc.toStringMethod](): string {
    return `${fc.stringify(this.unit)}.repeat(${this.times})${this.tail ? ` + ${fc.stringify(this.tail)}` : ''}`;
  }
}

/** Text at a length limit's edge: `n` ASCII letters then a surrogate pair, so that a cut at 256 splits the pair. */
export const edgeLengthText = fc
  .tuple(fc.integer({ min: 250, max: 260 }), fc.constantFrom('😀', '\u0000', 'é', 'a', '\ud800'))
  .map(([n, tail]) => new Repeated('m', n, tail));

/** Long text (kilobytes), plain or odd. */
export const longText = fc
  .tuple(fc.integer({ min: 1_000, max: 40_000 }), fc.constantFrom('a', 'é', '😀', '\u0000', ' ', '\ud800'))
  .map(([n, unit]) => new Repeated(unit, n));

/** Any text a fuzzer should try: odd, at a limit's edge, or long (a Repeated, which serialises as a string). */
export const anyText: fc.Arbitrary<string | Repeated> = fc.oneof(
  { weight: 8, arbitrary: oddText() },
  { weight: 1, arbitrary: edgeLengthText },
  { weight: 1, arbitrary: longText },
);

/** JSON of any shape, with odd strings in keys and values. */
export const anyJson = fc.jsonValue({ maxDepth: 4, stringUnit: oddUnit });

/** A value of some other type than the one expected. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308),
  oddText(),
  fc.array(anyJson, { maxLength: 3 }),
  fc.dictionary(oddText(8), anyJson, { maxKeys: 3 }),
);

/** The expected value most of the time, something else otherwise. */
export function mostly<T>(good: fc.Arbitrary<T>, weight = 4): fc.Arbitrary<T | unknown> {
  return fc.oneof({ weight, arbitrary: good }, { weight: 1, arbitrary: wrongType });
}

/**
 * A JSON text `depth` levels deep, built as text (never as an object: printing or serialising one overflows the
 * stack, which is the point). `shape` picks arrays, objects or a mix.
 */
export interface DeepJson {
  depth: number;
  shape: 'array' | 'object' | 'mixed';
}

export const deepJson: fc.Arbitrary<DeepJson> = fc.record({
  depth: fc.oneof(
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 200 }) },
    { weight: 2, arbitrary: fc.integer({ min: 200, max: 5_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 5_000, max: 60_000 }) },
  ),
  shape: fc.constantFrom('array', 'object', 'mixed'),
});

export function deepJsonText({ depth, shape }: DeepJson): string {
  const opens: string[] = [];
  const closes: string[] = [];
  for (let i = 0; i < depth; i += 1) {
    const array = shape === 'array' || (shape === 'mixed' && i % 2 === 0);
    opens.push(array ? '[' : '{"a":');
    closes.push(array ? ']' : '}');
  }
  return `${opens.join('')}1${closes.reverse().join('')}`;
}
