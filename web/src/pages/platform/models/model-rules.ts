// Client rules of the model forms, mirroring the control plane's (model.service.ts): a public name without
// whitespace, prices from 0 to 1,000,000 USD per million tokens, and deployments (credential + upstream model +
// integer weight 1..1,000,000), at most 50, no two with the same credential and upstream model.

export const maxModelNameLength = 256;
export const maxUpstreamModelLength = 256;
export const maxPrice = 1_000_000;
export const maxWeight = 1_000_000;
export const maxDeployments = 50;

/** What the price editor needs of a model. */
export interface PricedModel {
  id: string;
  name: string;
  inputPricePerMTok: number;
  outputPricePerMTok: number;
  cachedInputPricePerMTok: number;
}

export function modelNameError(value: string): string | undefined {
  const name = value.trim();
  if (name === '') return 'Name is required.';
  if (name.length > maxModelNameLength) return `Name must be at most ${maxModelNameLength} characters.`;
  if (/\s/.test(name)) return 'Use no spaces: callers send this name as the model, e.g. gpt-4o-mini.';
  return undefined;
}

/** `optional` prices may stay empty (the cached price then defaults to the input price). */
export function priceError(value: number | null, optional = false): string | undefined {
  if (value === null || value === undefined) return optional ? undefined : 'Enter a price (0 for free).';
  if (!Number.isFinite(value) || value < 0) return 'A price is a number of dollars, 0 or more.';
  if (value > maxPrice) return `A price is at most ${maxPrice.toLocaleString('en-US')} dollars per million tokens.`;
  return undefined;
}

export function upstreamModelError(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return 'Upstream model is required.';
  if (v.length > maxUpstreamModelLength) return `Upstream model must be at most ${maxUpstreamModelLength} characters.`;
  return undefined;
}

export function weightError(value: number | null): string | undefined {
  if (value === null || value === undefined) return 'Weight is required.';
  if (!Number.isInteger(value) || value < 1 || value > maxWeight)
    return `Weight is a whole number from 1 to ${maxWeight.toLocaleString('en-US')}.`;
  return undefined;
}

export function credentialError(value: string | null): string | undefined {
  return value ? undefined : 'Choose a provider credential.';
}

/** One deployment row of the create form. `key` only keeps Vue's row identity stable while rows are removed. */
export interface DeploymentRow {
  key: number;
  credentialId: string | null;
  upstreamModel: string;
  weight: number | null;
}

/** What the deployment dialog needs of an existing deployment. */
export interface EditedDeployment {
  id: string;
  credentialId: string;
  upstreamModel: string;
  weight: number;
}

export type DeploymentField = 'credentialId' | 'upstreamModel' | 'weight';
/** A row's messages by field; `row` is for what concerns the row as a whole (a duplicate). */
export type RowErrors = Partial<Record<DeploymentField | 'row', string>>;

/** Every row's messages (empty objects for valid rows), including duplicates of an earlier row. */
export function deploymentRowErrors(rows: DeploymentRow[]): RowErrors[] {
  return rows.map((r, i) => {
    const errors: RowErrors = {};
    const credential = credentialError(r.credentialId);
    const upstream = upstreamModelError(r.upstreamModel);
    const weight = weightError(r.weight);
    if (credential) errors.credentialId = credential;
    if (upstream) errors.upstreamModel = upstream;
    if (weight) errors.weight = weight;
    const earlier = rows
      .slice(0, i)
      .findIndex((o) => o.credentialId === r.credentialId && o.upstreamModel.trim() === r.upstreamModel.trim());
    if (!credential && !upstream && earlier >= 0)
      errors.upstreamModel = `Deployment ${earlier + 1} already sends this upstream model to this credential.`;
    return errors;
  });
}

/**
 * Where a server error about a deployment row belongs: `input.deployments.1.weight` -> row 1, field weight;
 * `input.deployments.1` -> row 1 as a whole. Undefined for any other path.
 */
export function deploymentErrorAt(
  path: string | undefined,
): { index: number; field: DeploymentField | 'row' } | undefined {
  const match = /^(?:input\.)?deployments\.(\d+)(?:\.(credentialId|upstreamModel|weight))?$/.exec(path ?? '');
  if (!match) return undefined;
  return { index: Number(match[1]), field: (match[2] as DeploymentField | undefined) ?? 'row' };
}
