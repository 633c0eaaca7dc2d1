// GraphQL entry points for teams and memberships: org admins manage their org's teams, viewers read them.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf, adminOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { createdLimits } from '../limits/created-limits.ts';
import { Organization } from '../organizations/organization.type.ts';
import { UserFilter } from '../users/user.input.ts';
import { User, UserConnection } from '../users/user.type.ts';
import type { TeamRecord } from './team.entity.ts';
import { CreateTeamInput, TeamFilter, UpdateTeamInput } from './team.input.ts';
import { TeamService } from './team.service.ts';
import { Team, TeamConnection, TeamMembershipPayload } from './team.type.ts';

/** The team a mutation names (its scope already checked by the operation table). */
async function writableTeam(ctx: Context, id: string, field: string): Promise<TeamRecord> {
  const team = await new TeamService(ctx.em).find(id);
  if (!team) throw notFound(field, `Team ${id} does not exist`);
  return team;
}

@Resolver(() => Team)
export class TeamResolver {
  @Query(() => TeamConnection, { description: "One org's teams, or (platform admins, no orgId) every org's." })
  teams(
    @Arg('orgId', () => ID, { nullable: true }) orgId: string | null,
    @Arg('filter', () => TeamFilter, { nullable: true }) filter: TeamFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<Team>> {
    return new TeamService(ctx.em).list(orgId ?? adminOf(ctx).orgId, filter, page);
  }

  @Query(() => Team, { nullable: true, description: 'null when it does not exist or is out of scope.' })
  async team(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Team | null> {
    const team = await new TeamService(ctx.em).find(id);
    return team ? Team.from(team) : null;
  }

  @Mutation(() => Team)
  async createTeam(@Arg('input', () => CreateTeamInput) input: CreateTeamInput, @Ctx() ctx: Context): Promise<Team> {
    const limits = createdLimits(input.limits, adminOf(ctx));
    return Team.from(await new TeamService(ctx.em).create(actorOf(ctx), input, limits));
  }

  @Mutation(() => Team)
  async updateTeam(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateTeamInput) input: UpdateTeamInput,
    @Ctx() ctx: Context,
  ): Promise<Team> {
    const team = await writableTeam(ctx, id, 'id');
    return Team.from(await new TeamService(ctx.em).update(actorOf(ctx), team, input));
  }

  @Mutation(() => Team, {
    description: "The team's keys, and user keys attributed to it, stop working on every data plane.",
  })
  async suspendTeam(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Team> {
    const team = await writableTeam(ctx, id, 'id');
    return Team.from(await new TeamService(ctx.em).setStatus(actorOf(ctx), team, 'suspended'));
  }

  @Mutation(() => Team)
  async reactivateTeam(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Team> {
    const team = await writableTeam(ctx, id, 'id');
    return Team.from(await new TeamService(ctx.em).setStatus(actorOf(ctx), team, 'active'));
  }

  @Mutation(() => ID, {
    description:
      "Soft delete: the team's own keys are revoked; user keys attributed to it lose the attribution. Answers the id.",
  })
  async deleteTeam(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    const team = await writableTeam(ctx, id, 'id');
    return new TeamService(ctx.em).delete(actorOf(ctx), team);
  }

  @Mutation(() => TeamMembershipPayload, { description: 'Idempotent. The user must belong to the same org.' })
  async addTeamMember(
    @Arg('teamId', () => ID) teamId: string,
    @Arg('userId', () => ID) userId: string,
    @Ctx() ctx: Context,
  ): Promise<TeamMembershipPayload> {
    const team = await writableTeam(ctx, teamId, 'teamId');
    const user = await new TeamService(ctx.em).addMember(actorOf(ctx), team, userId);
    return Object.assign(new TeamMembershipPayload(), { team: Team.from(team), user: User.from(user) });
  }

  @Mutation(() => TeamMembershipPayload, {
    description: "Idempotent. The user's keys attributed to the team lose that attribution.",
  })
  async removeTeamMember(
    @Arg('teamId', () => ID) teamId: string,
    @Arg('userId', () => ID) userId: string,
    @Ctx() ctx: Context,
  ): Promise<TeamMembershipPayload> {
    const team = await writableTeam(ctx, teamId, 'teamId');
    const user = await new TeamService(ctx.em).removeMember(actorOf(ctx), team, userId);
    return Object.assign(new TeamMembershipPayload(), { team: Team.from(team), user: User.from(user) });
  }

  @FieldResolver(() => Organization)
  async organization(@Root() team: Team, @Ctx() ctx: Context): Promise<Organization> {
    const org = await ctx.loaders.orgById.load(team.orgId);
    if (!org) throw notFound(undefined, `Organization ${team.orgId} does not exist`);
    return Organization.from(org);
  }

  @FieldResolver(() => UserConnection)
  members(
    @Root() team: Team,
    @Arg('filter', () => UserFilter, { nullable: true }) filter: UserFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<User>> {
    return ctx.loaders.membersOfTeam.load({ parentId: team.id, filter, page });
  }
}
