// Apollo's cache of parsed and validated documents, bounded by the memory its documents really hold.
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode, Token } from 'graphql';

/**
 * Heap bytes one lexical token of a cached document costs, all in: its Token, its share of AST nodes, their
 * Locations, and the values read from the text. Measured at 310-340 on Node 24; document-store.test.ts checks that
 * the estimate stays above what documents of several shapes really hold.
 */
export const bytesPerToken = 400;

/** What the cached documents may hold together: the admin UI's and the data planes' operations fit many times. */
export const documentStoreBytes = 16 * 1024 * 1024;

/** Tokens of a document parsed with locations (comments included: they are kept in the token list too). */
export function tokenCount(doc: DocumentNode): number {
  let count = 0;
  for (let token: Token | null | undefined = doc.loc?.startToken; token; token = token.next) count += 1;
  return count;
}

/** The memory `doc` holds, estimated from its tokens and its text; without locations its JSON is close to it. */
export function documentBytes(doc: DocumentNode): number {
  if (!doc.loc) return Buffer.byteLength(JSON.stringify(doc));
  return tokenCount(doc) * bytesPerToken + doc.loc.source.body.length;
}

/**
 * Apollo's default store measures a document by its JSON, which leaves out the locations and tokens that make up
 * three quarters of it: its "30 MiB" held about 115 MB once callers had sent enough distinct documents (an id
 * written into each query is enough). This one counts what is held.
 */
export function createDocumentStore(maxBytes = documentStoreBytes): InMemoryLRUCache<DocumentNode> {
  return new InMemoryLRUCache<DocumentNode>({ maxSize: maxBytes, sizeCalculation: documentBytes });
}
