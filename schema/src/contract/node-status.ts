// What a data plane reports about itself to the control plane.
import { z } from 'zod';

const isoTime = z.string().datetime({ offset: true });

/** The last sync message a data plane refused (NACK); null once a later message applied. */
export const lastRejected = z
  .object({
    /** The refused message's version (a full snapshot's, or a delta's target); null when it had none readable. */
    version: z.number().int().nonnegative().nullable(),
    hash: z.string().max(64).nullable(),
    reason: z.string().max(1000),
    at: isoTime,
  })
  .strict();
export type LastRejected = z.infer<typeof lastRejected>;

export const nodeStatusReport = z
  .object({
    nodeId: z.string().min(1).max(128),
    appliedVersion: z.number().int().nonnegative().nullable(),
    appliedHash: z.string().nullable(),
    /** 'control-plane' when applied from a live push, 'disk' when booted from the local cache. */
    source: z.enum(['control-plane', 'disk']).nullable(),
    startedAt: isoTime,
    version: z.string(),
    /** The sync protocol the data plane speaks (absent from data planes older than protocol 2). */
    protocol: z.number().int().positive().optional(),
    /** The last sync message the node refused and kept its config instead (absent from older data planes). */
    lastRejected: lastRejected.nullable().optional(),
    /** Usage delivery on this node (absent from data planes older than the dead-letter file). */
    usage: z
      .object({
        /** Records spooled on disk or waiting in memory, not yet acknowledged by the control plane. */
        backlog: z.number().int().nonnegative(),
        /** Records the control plane rejected, kept in the node's dead-letter file (earlier runs included). */
        deadLetterRecords: z.number().int().nonnegative(),
        /** When the newest dead letter was written. */
        lastDeadLetterAt: isoTime.nullable(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type NodeStatusReport = z.infer<typeof nodeStatusReport>;

/** graphql-ws close codes the control plane uses beyond the library's own (4400-4499 range is graphql-ws's). */
export const closeCodes = {
  /** Data-plane token missing or wrong. The data plane logs it and keeps retrying with backoff (the operator may
   * be rotating the token), serving its current config meanwhile. */
  forbidden: 4403,
} as const;

/** The GraphQL error code on configSync when the data plane speaks another sync protocol than the control plane. */
export const protocolMismatchCode = 'PROTOCOL_MISMATCH';
