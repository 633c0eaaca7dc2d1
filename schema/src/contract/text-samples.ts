// Every kind of JavaScript string PostgreSQL's text or jsonb refuses: shared by the tests of every package.

/** [what it is, the text]; each must be refused by `pgText` and made storable by `storableText`. */
export const unstorableTexts: [kind: string, text: string][] = [
  ['NUL alone', '\0'],
  ['NUL inside', 'gpt\u00004o'],
  ['NUL at the end', 'gpt-4o\0'],
  ['lone high surrogate', 'a\uD83Db'],
  ['lone low surrogate', 'a\uDE00b'],
  ['reversed pair', '\uDE00\uD83D'],
  ['high surrogate at the end', `${'x'.repeat(10)}\uD83D`],
  ['256 units cut in the middle of a surrogate pair', `${'m'.repeat(255)}😀`.slice(0, 256)],
  ['NUL and a lone surrogate', '\0\uD800'],
];
