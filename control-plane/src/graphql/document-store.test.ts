// The document cache's size estimate must not undercount: its bound is only as good as what it counts.
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type DocumentNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createDocumentStore, documentBytes } from './document-store.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap growth from keeping `count` documents that `make` builds, after full collections. */
function heapHeldBy(count: number, make: (i: number) => DocumentNode): { held: number; docs: DocumentNode[] } {
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const docs = Array.from({ length: count }, (_, i) => make(i));
  gc();
  gc();
  return { held: process.memoryUsage().heapUsed - before, docs };
}

const shapes: [string, (i: number) => string][] = [
  [
    'a probe with an id in its text',
    () => `{ organization(id: "${randomUUID()}") { id name teams { nodes { id } } } }`,
  ],
  [
    'a page query with variables and a fragment',
    (i) => `query Page${i}($org: ID!, $first: Int) {
      organization(id: $org) { ...Org teams(first: $first) { nodes { id name users { nodes { id email } } } } }
    }
    fragment Org on Organization { id name slug status createdAt }`,
  ],
  ['many aliases', (i) => `{ ${Array.from({ length: 20 }, (_, j) => `a${i}_${j}: me { email }`).join(' ')} }`],
  ['mostly comments', (i) => `# ${'why '.repeat(40)}${i}\n{ me { email } }`],
];

describe('document store size estimate', () => {
  it.each(shapes)('counts at least the heap held by documents of %s', (_name, text) => {
    const { held, docs } = heapHeldBy(2_000, (i) => parse(text(i)));
    const estimated = docs.reduce((sum, d) => sum + documentBytes(d), 0);
    expect(estimated).toBeGreaterThanOrEqual(held);
    // Not wildly over either: the bound should still let a useful number of documents in.
    expect(estimated).toBeLessThan(held * 3);
  });

  it("is needed: Apollo's default (the document's JSON) counts a fraction of it", () => {
    const { held, docs } = heapHeldBy(2_000, (i) => parse(shapes[1][1](i)));
    const json = docs.reduce((sum, d) => sum + Buffer.byteLength(JSON.stringify(d)), 0);
    expect(json).toBeLessThan(held / 2);
  });

  it('evicts the least recently used documents past its bound', async () => {
    const store = createDocumentStore(200_000);
    for (let i = 0; i < 500; i += 1) await store.set(`doc${i}`, parse(shapes[0][1](i)));
    const kept = store.keys();
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.length).toBeLessThan(500);
    expect(kept).toContain('doc499');
    expect(kept).not.toContain('doc0');
  });
});
