// Inputs and filters of admin user management.
import { Field, ID, InputType } from 'type-graphql';
import { AdminRole } from '../../graphql/enums.ts';

@InputType('CreateAdminUserInput')
export class CreateAdminUserInput {
  @Field(() => String)
  email!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { description: 'At least 12 characters.' })
  password!: string;

  @Field(() => AdminRole)
  role!: AdminRole;

  @Field(() => ID, {
    nullable: true,
    description: 'Required for ORG_ADMIN and ORG_VIEWER; must be null for PLATFORM_ADMIN.',
  })
  orgId?: string | null;
}

@InputType('UpdateAdminUserInput')
export class UpdateAdminUserInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => AdminRole, { nullable: true, description: 'Within the same org; a platform admin stays one.' })
  role?: AdminRole | null;

  @Field(() => Boolean, { nullable: true, description: 'Disabling ends every session of the admin.' })
  disabled?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Sets a new password (at least 12 characters).' })
  password?: string | null;
}

@InputType('AdminUserFilter')
export class AdminUserFilter {
  @Field(() => AdminRole, { nullable: true })
  role?: AdminRole | null;

  @Field(() => String, { nullable: true, description: 'Part of the email or name, any case.' })
  search?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Include disabled admins (default false).' })
  includeDisabled?: boolean | null;
}
