// The base snapshot file (snapshot.json). Format 3, written now, is one JSON value per line: a header
// `{ format: 3, version, hash, savedAt }`, then one `[kind, id, resource]` per resource. It is read line by line
// straight into a StoreBuilder, as a full snapshot from the control plane is (each resource checked, frozen and
// hashed once as it is read), so booting with 100k keys never holds the file as one string or a plain snapshot
// beside the store. Formats 1 and 2 (one JSON document, before this) are still read.
import { createReadStream } from 'node:fs';
import { type FileHandle, open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { setImmediate } from 'node:timers/promises';
import {
  type AnyResource,
  canonicalJson,
  type ResourceKind,
  resourceKinds,
  type SnapshotCredential,
  sha256Hex,
  snapshotHash,
  snapshotProblems,
} from '@gw/schema';
import { z } from 'zod';
import { runSteps, StoreBuilder } from './builder.ts';
import { problemsText } from './full-assembly.ts';
import { sealCredential, unsealCredential, unsealSnapshot } from './secrets.ts';
import { SnapshotStore } from './store.ts';
import { checkedSnapshot, resourceError } from './validate.ts';

/** What a base is written from: a store's maps or a plain snapshot. */
export interface BaseSource {
  version: number;
  hash: string;
  entries: (kind: ResourceKind) => Iterable<[string, unknown]>;
}

/** A base as read: verified against its hash and checked, credentials decrypted. `format` tells the journal rules. */
export interface Base {
  format: 1 | 2 | 3;
  store: SnapshotStore;
}

/** Resources stringified between two yields while writing a base (one write: about 100 KB with 100k keys). */
const batchSize = 250;

const header = z.object({
  format: z.literal(3),
  version: z.number().int().nonnegative(),
  hash: z.string(),
  savedAt: z.string(),
});

const wholeFile = z.object({
  /** 1: hash v1 (SHA-256 of the canonical JSON), written before protocol 2; 2: hash v2. */
  format: z.union([z.literal(1), z.literal(2)]),
  version: z.number().int().nonnegative(),
  hash: z.string(),
  savedAt: z.string(),
  snapshot: z.unknown(),
});

/** Writes a format 3 base to `fh` in batches, yielding to the event loop between them; apiKeys are encrypted. */
export async function writeBase(fh: FileHandle, source: BaseSource, secretKey: Buffer): Promise<void> {
  const head = { format: 3, version: source.version, hash: source.hash, savedAt: new Date().toISOString() };
  const lines = [`${JSON.stringify(head)}\n`];
  for (const kind of resourceKinds) {
    for (const [id, r] of source.entries(kind)) {
      const value = kind === 'credentials' ? sealCredential(secretKey, id, r as SnapshotCredential) : r;
      lines.push(`${JSON.stringify([kind, id, value])}\n`);
      if (lines.length === batchSize) {
        await fh.write(lines.join(''));
        lines.length = 0;
        await setImmediate();
      }
    }
  }
  await fh.write(lines.join(''));
}

/** Reads and verifies the base at `path` (any format); null when there is none, throws when it cannot be trusted. */
export async function readBase(path: string, secretKey: Buffer): Promise<Base | null> {
  let start: string;
  try {
    start = await firstBytes(path, formatThreeStart.length);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (start !== formatThreeStart) return readWholeBase(path, secretKey);
  const input = createReadStream(path, { encoding: 'utf8' });
  try {
    const builder = new StoreBuilder();
    let head: z.infer<typeof header> | null = null;
    let n = 0;
    for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      n++;
      if (n === 1) {
        head = header.parse(JSON.parse(line));
        continue;
      }
      if (line === '') continue;
      const [kind, id, resource] = entryOf(line, n);
      // A token rotation makes decryption fail: the file is then useless, and we say so.
      const r = kind === 'credentials' ? unsealCredential(secretKey, id, resource as SnapshotCredential) : resource;
      const repeated = builder.add(kind, id, r);
      if (repeated) throw new Error(`snapshot file line ${n}: ${kind}.${id} repeated`);
    }
    if (!head) throw new Error('snapshot file has no header');
    const hash = runSteps(builder.hash(head.hash));
    if (hash !== head.hash) throw new Error(`snapshot file hash mismatch (${hash} != ${head.hash})`);
    const problems = runSteps(builder.check());
    if (problems.length) throw new Error(`snapshot file is inconsistent: ${problemsText(problems)}`);
    const { parts, refs } = runSteps(builder.build(null));
    return { format: 3, store: new SnapshotStore(parts, { version: head.version, hash, source: 'disk' }, null, refs) };
  } finally {
    input.destroy();
  }
}

const formatThreeStart = '{"format":3,';

async function firstBytes(path: string, count: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(count);
    const { bytesRead } = await fh.read(buf, 0, count, 0);
    return buf.toString('utf8', 0, bytesRead);
  } finally {
    await fh.close();
  }
}

function entryOf(line: string, n: number): [ResourceKind, string, AnyResource] {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    throw new Error(`snapshot file line ${n} is not JSON (a torn or damaged file)`);
  }
  if (!Array.isArray(entry) || entry.length !== 3 || typeof entry[1] !== 'string') {
    throw new Error(`snapshot file line ${n} is not a [kind, id, resource] entry`);
  }
  const [kind, id, resource] = entry as [ResourceKind, string, unknown];
  if (!resourceKinds.includes(kind)) throw new Error(`snapshot file line ${n}: unknown kind ${String(kind)}`);
  const problem = resourceError(kind, id, resource);
  if (problem) throw new Error(`snapshot file line ${n}: ${problem}`);
  return [kind, id, resource as AnyResource];
}

/** Formats 1 and 2: one JSON document holding the whole snapshot. */
async function readWholeBase(path: string, secretKey: Buffer): Promise<Base> {
  const file = wholeFile.parse(JSON.parse(await readFile(path, 'utf8')));
  const snapshot = unsealSnapshot(secretKey, checkedSnapshot(file.snapshot));
  // Format 1 (before protocol 2) holds the v1 hash: check it, then serve under the v2 hash.
  const hash = file.format === 1 ? sha256Hex(canonicalJson(snapshot)) : snapshotHash(snapshot);
  if (hash !== file.hash) throw new Error(`snapshot file hash mismatch (${hash} != ${file.hash})`);
  const problems = snapshotProblems(snapshot);
  if (problems.length) throw new Error(`snapshot file is inconsistent: ${problemsText(problems)}`);
  const meta = { version: file.version, hash: snapshotHash(snapshot), source: 'disk' as const };
  return { format: file.format, store: new SnapshotStore(snapshot, meta) };
}
