// The org models page states the org's model availability, and the platform admins' dialog sends what the API takes.
import { describe, expect, it } from 'vitest';
import { accessInput, accessSummary } from './model-access';

describe('model access summary', () => {
  it('says every model, later ones included, when unrestricted', () => {
    expect(accessSummary({ allModels: true, models: [{ name: 'a' }, { name: 'b' }] })).toMatch(
      /every model .* added later/,
    );
  });

  it('counts the allowed models when restricted', () => {
    expect(accessSummary({ allModels: false, models: [{ name: 'a' }, { name: 'b' }] })).toMatch(/only these 2 models/);
    expect(accessSummary({ allModels: false, models: [{ name: 'a' }] })).toMatch(/only this model/);
  });

  it('says that an empty list refuses everything', () => {
    expect(accessSummary({ allModels: false, models: [] })).toMatch(/no model/);
  });
});

describe('model access input', () => {
  it('leaves modelNames out for every model (the API refuses both together)', () => {
    expect(accessInput('o1', 'all', ['a'])).toEqual({ orgId: 'o1', allModels: true });
  });

  it('sends the chosen names once each, possibly none', () => {
    expect(accessInput('o1', 'some', ['a', 'b', 'a'])).toEqual({
      orgId: 'o1',
      allModels: false,
      modelNames: ['a', 'b'],
    });
    expect(accessInput('o1', 'some', [])).toEqual({ orgId: 'o1', allModels: false, modelNames: [] });
  });
});
