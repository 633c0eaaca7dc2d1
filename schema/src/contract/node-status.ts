// What a data plane reports about itself to the control plane.
import { z } from 'zod';

export const nodeStatusReport = z
  .object({
    nodeId: z.string().min(1).max(128),
    appliedVersion: z.number().int().nonnegative().nullable(),
    appliedHash: z.string().nullable(),
    /** 'control-plane' when applied from a live push, 'disk' when booted from the local cache. */
    source: z.enum(['control-plane', 'disk']).nullable(),
    startedAt: z.string().datetime({ offset: true }),
    version: z.string(),
    /** Usage delivery on this node (absent from data planes older than the dead-letter file). */
    usage: z
      .object({
        /** Records spooled on disk or waiting in memory, not yet acknowledged by the control plane. */
        backlog: z.number().int().nonnegative(),
        /** Records the control plane rejected, kept in the node's dead-letter file (earlier runs included). */
        deadLetterRecords: z.number().int().nonnegative(),
        /** When the newest dead letter was written. */
        lastDeadLetterAt: z.string().datetime({ offset: true }).nullable(),
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
