// GraphQL shape of a public model and its prices.
import { Field, Float, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import type { ModelRecord } from './model.entity.ts';

@ObjectType('Model')
export class Model {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Public name callers use; unique.' })
  name!: string;

  @Field(() => ID)
  credentialId!: string;

  @Field(() => String)
  upstreamModel!: string;

  @Field(() => Float, { description: 'USD per million input tokens.' })
  inputPricePerMTok!: number;

  @Field(() => Float, { description: 'USD per million output tokens.' })
  outputPricePerMTok!: number;

  @Field(() => Float, { description: 'USD per million cached input tokens.' })
  cachedInputPricePerMTok!: number;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  static from(r: ModelRecord): Model {
    return Object.assign(new Model(), {
      id: r.id,
      name: r.name,
      credentialId: r.credentialId,
      upstreamModel: r.upstreamModel,
      inputPricePerMTok: Number(r.inputPricePerMTok),
      outputPricePerMTok: Number(r.outputPricePerMTok),
      cachedInputPricePerMTok: Number(r.cachedInputPricePerMTok),
      createdAt: r.createdAt,
    });
  }
}
