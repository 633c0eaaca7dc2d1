// Inputs of the organization mutations and the organization list filter.
import { Field, ID, InputType } from 'type-graphql';
import { EntityStatus } from '../../graphql/enums.ts';

@InputType('CreateOrganizationInput')
export class CreateOrganizationInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Lowercase letters, digits and dashes; derived from the name when omitted.',
  })
  slug?: string | null;
}

@InputType('UpdateOrganizationInput', { description: 'Omitted fields stay as they are.' })
export class UpdateOrganizationInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Lowercase letters, digits and dashes.' })
  slug?: string | null;
}

@InputType('OrganizationFilter')
export class OrganizationFilter {
  @Field(() => EntityStatus, { nullable: true })
  status?: EntityStatus | null;

  @Field(() => String, { nullable: true, description: 'Part of the name or slug, case-insensitive.' })
  search?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only orgs that have enabled this module.' })
  moduleId?: string | null;
}
