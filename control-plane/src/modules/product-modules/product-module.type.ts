// GraphQL shapes of a catalogue module and of a module enabled for an org, with their connections.
import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/connection.ts';
import { EntityStatus } from '../../graphql/enums.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import type { OrgModuleRecord, ProductModuleRecord } from './product-module.entity.ts';

@ObjectType('Module', { description: 'A module of the SaaS product (e.g. chat); requests are attributed to one.' })
export class ProductModule {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Stable slug, sent in the x-gateway-module header.' })
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => EntityStatus)
  status!: EntityStatus;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  static from(r: ProductModuleRecord): ProductModule {
    return Object.assign(new ProductModule(), {
      id: r.id,
      key: r.key,
      name: r.name,
      description: r.description ?? null,
      status: r.status as EntityStatus,
      createdAt: r.createdAt,
    });
  }
}

@ObjectType('OrgModule', { description: 'A module enabled for an organization.' })
export class OrgModule {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  orgId!: string;

  @Field(() => ID)
  moduleId!: string;

  @Field(() => [String], { nullable: true, description: "null = every model the org's keys may use." })
  allowedModels!: string[] | null;

  @Field(() => DateTimeScalar)
  enabledAt!: Date;

  static from(r: OrgModuleRecord): OrgModule {
    return Object.assign(new OrgModule(), {
      id: r.id,
      orgId: r.orgId,
      moduleId: r.moduleId,
      allowedModels: r.allowedModels ?? null,
      enabledAt: r.createdAt,
    });
  }
}

export const ModuleConnection = connectionType(ProductModule, 'Module');
export const OrgModuleConnection = connectionType(OrgModule, 'OrgModule');
