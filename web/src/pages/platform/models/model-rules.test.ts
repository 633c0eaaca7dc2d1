// The model forms' client rules match the control plane's, and server error paths find their deployment row.
import { describe, expect, it } from 'vitest';
import {
  type DeploymentRow,
  deploymentErrorAt,
  deploymentRowErrors,
  modelNameError,
  priceError,
  upstreamModelError,
  weightError,
} from './model-rules';

const row = (over: Partial<DeploymentRow> = {}): DeploymentRow => ({
  key: 0,
  credentialId: 'c1',
  upstreamModel: 'gpt-4o',
  weight: 1,
  ...over,
});

describe('model rules', () => {
  it('name: required, no whitespace, at most 256', () => {
    expect(modelNameError('gpt-4o-mini')).toBeUndefined();
    expect(modelNameError(' ')).toBe('Name is required.');
    expect(modelNameError('gpt 4o')).toMatch(/no spaces/);
    expect(modelNameError('m'.repeat(257))).toMatch(/at most 256/);
  });

  it('prices: 0 to 1,000,000; optional ones may be empty', () => {
    expect(priceError(0)).toBeUndefined();
    expect(priceError(0.15)).toBeUndefined();
    expect(priceError(1_000_000)).toBeUndefined();
    expect(priceError(null)).toMatch(/Enter a price/);
    expect(priceError(null, true)).toBeUndefined();
    expect(priceError(-0.01)).toMatch(/0 or more/);
    expect(priceError(Number.NaN)).toMatch(/0 or more/);
    expect(priceError(1_000_000.5)).toMatch(/at most 1,000,000/);
  });

  it('upstream model and weight', () => {
    expect(upstreamModelError('')).toMatch(/required/);
    expect(upstreamModelError('u'.repeat(257))).toMatch(/256/);
    expect(weightError(1)).toBeUndefined();
    expect(weightError(1_000_000)).toBeUndefined();
    for (const bad of [0, -1, 1.5, 1_000_001]) expect(weightError(bad)).toMatch(/whole number/);
    expect(weightError(null)).toMatch(/required/);
  });

  it('row errors name the field, and a duplicate names the earlier row', () => {
    const errors = deploymentRowErrors([
      row(),
      row({ credentialId: null, upstreamModel: '', weight: 0 }),
      row({ key: 2, upstreamModel: ' gpt-4o ' }),
      row({ key: 3, credentialId: 'c2' }),
    ]);
    expect(errors[0]).toEqual({});
    expect(Object.keys(errors[1]).sort()).toEqual(['credentialId', 'upstreamModel', 'weight']);
    expect(errors[2]).toEqual({ upstreamModel: 'Deployment 1 already sends this upstream model to this credential.' });
    expect(errors[3]).toEqual({});
  });

  it('server paths land on a row and a field', () => {
    expect(deploymentErrorAt('input.deployments.1.weight')).toEqual({ index: 1, field: 'weight' });
    expect(deploymentErrorAt('input.deployments.0.credentialId')).toEqual({ index: 0, field: 'credentialId' });
    expect(deploymentErrorAt('input.deployments.12.upstreamModel')).toEqual({ index: 12, field: 'upstreamModel' });
    expect(deploymentErrorAt('input.deployments.2')).toEqual({ index: 2, field: 'row' });
    expect(deploymentErrorAt('input.deployments')).toBeUndefined();
    expect(deploymentErrorAt('input.name')).toBeUndefined();
    expect(deploymentErrorAt(undefined)).toBeUndefined();
  });
});
