// Labels of provider credentials in the model forms' pickers: "name (hint)", also for ids chosen before a search.
import type { SelectOption } from 'naive-ui';
import { request } from '../../../graphql/client';
import { PlatformCredentialNameQuery } from '../../../graphql/operations/platform-pickers';

export const credentialLabel = (c: { name: string; secretHint: string }): string => `${c.name} (${c.secretHint})`;

export async function resolveCredentials(ids: string[]): Promise<SelectOption[]> {
  const found = await Promise.all(ids.map((id) => request(PlatformCredentialNameQuery, { id })));
  return found.flatMap(({ providerCredential: c }) => (c ? [{ value: c.id, label: credentialLabel(c) }] : []));
}
