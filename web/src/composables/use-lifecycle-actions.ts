// Suspend, reactivate or delete an entity (organization, module, team, user): a confirmation that says what will
// happen, the matching mutation, and a toast with the outcome. Each entity brings its mutations and its texts.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useMessage } from 'naive-ui';
import { type ConfirmOptions, useConfirm } from './use-confirm';
import { useMutation } from './use-mutation';

export type LifecycleAction = 'suspend' | 'reactivate' | 'delete';

const outcome: Record<LifecycleAction, string> = { suspend: 'suspended', reactivate: 'reactivated', delete: 'deleted' };

export function useLifecycleActions<T extends { id: string }>(
  mutations: Record<LifecycleAction, TypedDocumentNode<unknown, { id: string }>>,
  /** The name the toast uses, and what the confirmation says (only reactivating is not shown as dangerous). */
  describe: (item: T, action: LifecycleAction) => { name: string; texts: Omit<ConfirmOptions, 'danger'> },
) {
  const message = useMessage();
  const confirm = useConfirm();
  const run = {
    suspend: useMutation(mutations.suspend),
    reactivate: useMutation(mutations.reactivate),
    delete: useMutation(mutations.delete),
  };

  /** Resolves true when the action was confirmed and done. */
  async function act(item: T, action: LifecycleAction): Promise<boolean> {
    const { name, texts } = describe(item, action);
    if (!(await confirm({ ...texts, danger: action !== 'reactivate' }))) return false;
    const r = await run[action].run({ id: item.id });
    if (!r.ok) {
      message.error(r.error.message);
      return false;
    }
    message.success(`${name} ${outcome[action]}`);
    return true;
  }

  return { act };
}
