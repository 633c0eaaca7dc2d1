// Model rules: unique public name, an existing credential, non-negative prices.

import type { SecretBox } from '../../crypto/secret-box.ts';
import { inConfigChange } from '../../db/config-change.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, conflict } from '../../errors.ts';
import { requirePrice, requireText } from '../../graphql/validate.ts';
import { ProviderCredentialService } from '../provider-credentials/provider-credential.service.ts';
import { ModelEntity, type ModelRecord } from './model.entity.ts';

export interface CreateModel {
  name: string;
  credentialId: string;
  upstreamModel: string;
  inputPricePerMTok: number;
  outputPricePerMTok: number;
  cachedInputPricePerMTok?: number | null;
}

export class ModelService {
  readonly #em: Em;
  readonly #box: SecretBox;

  constructor(em: Em, box: SecretBox) {
    this.#em = em;
    this.#box = box;
  }

  list(): Promise<ModelRecord[]> {
    return this.#em.find(ModelEntity, {}, { orderBy: { name: 'asc' } });
  }

  async create(input: CreateModel): Promise<ModelRecord> {
    const name = requireText('input.name', input.name, 256);
    if (/\s/.test(name)) throw badInput('input.name', 'name must not contain whitespace');
    const upstreamModel = requireText('input.upstreamModel', input.upstreamModel, 256);
    const inputPrice = requirePrice('input.inputPricePerMTok', input.inputPricePerMTok);
    const outputPrice = requirePrice('input.outputPricePerMTok', input.outputPricePerMTok);
    const cachedPrice =
      input.cachedInputPricePerMTok === null || input.cachedInputPricePerMTok === undefined
        ? inputPrice
        : requirePrice('input.cachedInputPricePerMTok', input.cachedInputPricePerMTok);
    await new ProviderCredentialService(this.#em, this.#box).require(input.credentialId, 'input.credentialId');
    return inConfigChange(this.#em, async (em) => {
      if (await em.count(ModelEntity, { name })) throw conflict('input.name', `A model named "${name}" already exists`);
      return em.create(ModelEntity, {
        name,
        credentialId: input.credentialId,
        upstreamModel,
        inputPricePerMTok: inputPrice,
        outputPricePerMTok: outputPrice,
        cachedInputPricePerMTok: cachedPrice,
      });
    });
  }
}
