// GraphQL entry points for users, and the teamIds field.
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.ts';
import { CreateUserInput } from './user.input.ts';
import { UserService } from './user.service.ts';
import { User } from './user.type.ts';

@Resolver(() => User)
export class UserResolver {
  @Authorized('admin')
  @Mutation(() => User)
  async createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: Context): Promise<User> {
    return User.from(await new UserService(ctx.em).create(input));
  }

  @FieldResolver(() => [ID])
  teamIds(@Root() user: User, @Ctx() ctx: Context): Promise<string[]> {
    return ctx.loaders.teamIdsByUser.load(user.id);
  }
}
