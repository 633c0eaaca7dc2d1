// Inputs of the module catalogue and enablement mutations, and the module list filter.
import { Field, ID, InputType } from 'type-graphql';
import { EntityStatus } from '../../graphql/enums.ts';

@InputType('CreateModuleInput')
export class CreateModuleInput {
  @Field(() => String, {
    description:
      'Stable slug callers send in x-gateway-module (lowercase letters, digits, dashes); fixed once created.',
  })
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType('UpdateModuleInput', { description: 'Omitted fields stay as they are; a null description clears it.' })
export class UpdateModuleInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType('ModuleFilter')
export class ModuleFilter {
  @Field(() => EntityStatus, { nullable: true })
  status?: EntityStatus | null;

  @Field(() => String, { nullable: true, description: 'Part of the key or name, case-insensitive.' })
  search?: string | null;
}

@InputType('ModuleEnablementInput')
export class ModuleEnablementInput {
  @Field(() => ID)
  orgId!: string;

  @Field(() => ID)
  moduleId!: string;

  @Field(() => [String], {
    nullable: true,
    description: "Public model names the module may use in this org; null = every model the org's keys may use.",
  })
  allowedModels?: string[] | null;
}
