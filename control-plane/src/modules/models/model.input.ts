// Inputs of the model, deployment and org-availability mutations, and the model list filter.
import { Field, Float, ID, InputType, Int } from 'type-graphql';

@InputType('ModelDeploymentInput')
export class ModelDeploymentInput {
  @Field(() => ID)
  credentialId!: string;

  @Field(() => String, { description: 'Model name sent to the provider.' })
  upstreamModel!: string;

  @Field(() => Int, { nullable: true, description: 'Positive integer, default 1 (1 to 1000000).' })
  weight?: number | null;
}

@InputType('CreateModelInput')
export class CreateModelInput {
  @Field(() => String, { description: 'Public name callers use; no whitespace; fixed once created.' })
  name!: string;

  @Field(() => [ModelDeploymentInput], { description: 'One or more; traffic is split by weight.' })
  deployments!: ModelDeploymentInput[];

  @Field(() => Float)
  inputPricePerMTok!: number;

  @Field(() => Float)
  outputPricePerMTok!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Defaults to inputPricePerMTok: without a known discount, cached tokens cost what input costs.',
  })
  cachedInputPricePerMTok?: number | null;
}

@InputType('UpdateModelInput', { description: 'New prices; omitted fields keep their value.' })
export class UpdateModelInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Float, { nullable: true })
  inputPricePerMTok?: number | null;

  @Field(() => Float, { nullable: true })
  outputPricePerMTok?: number | null;

  @Field(() => Float, { nullable: true })
  cachedInputPricePerMTok?: number | null;
}

@InputType('AddModelDeploymentInput')
export class AddModelDeploymentInput extends ModelDeploymentInput {
  @Field(() => ID)
  modelId!: string;
}

@InputType('UpdateModelDeploymentInput', { description: 'Omitted fields keep their value.' })
export class UpdateModelDeploymentInput {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true })
  credentialId?: string | null;

  @Field(() => String, { nullable: true })
  upstreamModel?: string | null;

  @Field(() => Int, { nullable: true, description: '1 to 1000000.' })
  weight?: number | null;
}

@InputType('ModelFilter')
export class ModelFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' })
  nameContains?: string | null;

  @Field(() => ID, { nullable: true, description: 'Models with a deployment on this credential (platform admins).' })
  credentialId?: string | null;
}

@InputType('SetOrgModelAccessInput')
export class SetOrgModelAccessInput {
  @Field(() => ID)
  orgId!: string;

  @Field(() => Boolean, { description: 'true: every model, now and later; modelNames must then be omitted.' })
  allModels!: boolean;

  @Field(() => [String], {
    nullable: true,
    description: 'With allModels false: the only models the org may use (may be empty: none).',
  })
  modelNames?: string[] | null;
}
