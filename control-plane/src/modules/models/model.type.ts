// GraphQL shapes of a public model, its deployments, an org's model availability, and the model list.
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/connection.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import type { ModelRecord } from './model.entity.ts';
import type { ModelDeploymentRecord } from './model-deployment.entity.ts';

@ObjectType('Model', { description: 'A public model name with its prices; org admins and viewers see these.' })
export class Model {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Public name callers use; unique and fixed once created.' })
  name!: string;

  @Field(() => Float, { description: 'USD per million input tokens.' })
  inputPricePerMTok!: number;

  @Field(() => Float, { description: 'USD per million output tokens.' })
  outputPricePerMTok!: number;

  @Field(() => Float, { description: 'USD per million cached input tokens.' })
  cachedInputPricePerMTok!: number;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  static from(r: ModelRecord): Model {
    return Object.assign(new Model(), {
      id: r.id,
      name: r.name,
      inputPricePerMTok: Number(r.inputPricePerMTok),
      outputPricePerMTok: Number(r.outputPricePerMTok),
      cachedInputPricePerMTok: Number(r.cachedInputPricePerMTok),
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    });
  }
}

@ObjectType('ModelDeployment', {
  description: 'One weighted route of a model: a provider credential and the model name sent upstream.',
})
export class ModelDeployment {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  modelId!: string;

  @Field(() => ID)
  credentialId!: string;

  @Field(() => String, { description: 'Model name sent to the provider.' })
  upstreamModel!: string;

  @Field(() => Int, { description: 'Share of traffic: weight / (sum of the weights of the model).' })
  weight!: number;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  static from(r: ModelDeploymentRecord): ModelDeployment {
    return Object.assign(new ModelDeployment(), {
      id: r.id,
      modelId: r.modelId,
      credentialId: r.credentialId,
      upstreamModel: r.upstreamModel,
      weight: r.weight,
      createdAt: r.createdAt,
    });
  }
}

@ObjectType('OrgModelAccess', { description: 'Which models an organization may use; chosen by platform admins.' })
export class OrgModelAccess {
  @Field(() => ID)
  orgId!: string;

  @Field(() => Boolean, { description: 'true: every model, including ones added later (the default).' })
  allModels!: boolean;

  /** Ids of the allowed models when restricted; null when allModels. */
  allowedModelIds!: string[] | null;
}

export const ModelConnection = connectionType(Model, 'Model');
