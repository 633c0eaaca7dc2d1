// GraphQL entry points for virtual keys.
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context.ts';
import { CreateVirtualKeyInput } from './virtual-key.input.ts';
import { VirtualKeyService } from './virtual-key.service.ts';
import { CreateVirtualKeyPayload, VirtualKey } from './virtual-key.type.ts';

@Resolver(() => VirtualKey)
export class VirtualKeyResolver {
  @Authorized('admin')
  @Mutation(() => CreateVirtualKeyPayload)
  async createVirtualKey(
    @Arg('input', () => CreateVirtualKeyInput) input: CreateVirtualKeyInput,
    @Ctx() ctx: Context,
  ): Promise<CreateVirtualKeyPayload> {
    const { key, secret } = await new VirtualKeyService(ctx.em).create(input);
    return Object.assign(new CreateVirtualKeyPayload(), { virtualKey: VirtualKey.from(key), secret });
  }

  @Authorized('admin')
  @Mutation(() => VirtualKey)
  async revokeVirtualKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<VirtualKey> {
    return VirtualKey.from(await new VirtualKeyService(ctx.em).revoke(id));
  }
}
