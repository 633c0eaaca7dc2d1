// ORM mapping of a model deployment: one weighted route of a model to an upstream model through a credential.
import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const ModelDeploymentEntity = defineEntity({
  name: 'ModelDeployment',
  tableName: 'model_deployments',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    modelId: p.uuid(),
    credentialId: p.uuid(),
    upstreamModel: p.text(),
    /** A positive integer; a deployment gets weight / (sum of the model's weights) of its traffic. */
    weight: p.integer(),
    /** Insertion order (an identity column), for display; deployments created together share createdAt. */
    seq: p.bigint('number').autoincrement(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type ModelDeploymentRecord = InferEntity<typeof ModelDeploymentEntity>;
