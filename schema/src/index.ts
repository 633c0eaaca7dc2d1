// The control-plane <-> data-plane contract: shared types, validation and the version/hash rule.
export * from './contract/canonical.ts';
export * from './contract/consistency.ts';
export * from './contract/errors.ts';
export * from './contract/limits.ts';
export * from './contract/node-status.ts';
export * from './contract/snapshot.ts';
export * from './contract/snapshot-hash.ts';
export * from './contract/sync.ts';
export * from './contract/text.ts';
export * from './contract/text-samples.ts';
export * from './contract/usage.ts';
export * from './log-redaction.ts';
