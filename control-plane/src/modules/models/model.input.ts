// Input of createModel.
import { Field, Float, ID, InputType } from 'type-graphql';

@InputType('CreateModelInput')
export class CreateModelInput {
  @Field(() => String)
  name!: string;

  @Field(() => ID)
  credentialId!: string;

  @Field(() => String)
  upstreamModel!: string;

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
