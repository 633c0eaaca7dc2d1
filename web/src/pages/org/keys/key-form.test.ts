// Key owners (a user, optionally attributed to one of their teams, or a team alone), model lists, expiry and the
// create/update inputs the key form sends.
import { describe, expect, it } from 'vitest';
import {
  createKeyInput,
  type EditableKey,
  emptyKeyForm,
  keepAttribution,
  keyFormFrom,
  keyFormRules,
  keyServerField,
  ownerIds,
  updateKeyInput,
} from './key-form';

const now = Date.UTC(2030, 0, 1);
const rule = (field: keyof typeof keyFormRules, values: ReturnType<typeof emptyKeyForm>) =>
  keyFormRules[field]?.(values[field], values);

describe('key owner', () => {
  it('sends a user with the attribution team, or a team alone', () => {
    const user = { ...emptyKeyForm(), userId: 'u1', attributionTeamId: 't1', teamId: 't9' };
    expect(ownerIds(user)).toEqual({ userId: 'u1', teamId: 't1' });
    const team = { ...user, ownerKind: 'TEAM' as const };
    expect(ownerIds(team)).toEqual({ userId: null, teamId: 't9' });
  });

  it('drops the attribution team when no user is chosen', () => {
    expect(ownerIds({ ...emptyKeyForm(), attributionTeamId: 't1' })).toEqual({ userId: null, teamId: null });
  });

  it('requires the owner of the chosen kind only', () => {
    const values = emptyKeyForm();
    expect(rule('userId', values)).toMatch(/user/);
    expect(rule('teamId', values)).toBeUndefined();
    const team = { ...values, ownerKind: 'TEAM' as const };
    expect(rule('userId', team)).toBeUndefined();
    expect(rule('teamId', team)).toMatch(/team/);
  });

  it('keeps an attribution team only if the new user is in it', () => {
    expect(keepAttribution('t1', ['t1', 't2'])).toBe('t1');
    expect(keepAttribution('t1', ['t2'])).toBeNull();
    expect(keepAttribution(null, ['t2'])).toBeNull();
  });

  it('starts from an owner given by the page (a user page, a team page)', () => {
    expect(emptyKeyForm({ ownerKind: 'USER', userId: 'u1' })).toMatchObject({
      ownerKind: 'USER',
      userId: 'u1',
      teamId: null,
    });
    expect(emptyKeyForm({ ownerKind: 'TEAM', teamId: 't1' })).toMatchObject({
      ownerKind: 'TEAM',
      userId: null,
      teamId: 't1',
    });
  });

  it('shows the server’s teamId error on the field that holds it', () => {
    expect(keyServerField('teamId', emptyKeyForm())).toBe('attributionTeamId');
    expect(keyServerField('teamId', { ...emptyKeyForm(), ownerKind: 'TEAM' })).toBe('teamId');
    expect(keyServerField('allowedModels', emptyKeyForm())).toBe('models');
    expect(keyServerField('alias', emptyKeyForm())).toBe('alias');
  });
});

describe('key create input', () => {
  it('builds the input with nulls for what is not chosen', () => {
    const values = { ...emptyKeyForm(), name: ' notebook ', userId: 'u1' };
    expect(createKeyInput('o1', values, now)).toEqual({
      orgId: 'o1',
      userId: 'u1',
      teamId: null,
      name: 'notebook',
      alias: null,
      moduleId: null,
      allowedModels: null,
      expiresAt: null,
      metadata: {},
    });
  });

  it('sends the chosen models, expiry and metadata', () => {
    const values = {
      ...emptyKeyForm({ ownerKind: 'TEAM', teamId: 't1' }),
      name: 'support',
      alias: 'support-docs',
      moduleId: 'm1',
      allModels: false,
      models: ['gpt-4o-mini'],
      expiry: '30d' as const,
      metadata: '{"costCenter": "R-17"}',
    };
    expect(createKeyInput('o1', values, now)).toMatchObject({
      teamId: 't1',
      userId: null,
      alias: 'support-docs',
      moduleId: 'm1',
      allowedModels: ['gpt-4o-mini'],
      expiresAt: '2030-01-31T00:00:00.000Z',
      metadata: { costCenter: 'R-17' },
    });
  });

  it('asks for models when not every model is allowed, and checks alias and metadata', () => {
    const values = { ...emptyKeyForm(), allModels: false, alias: 'Not A Slug', metadata: '[1]' };
    expect(rule('models', values)).toMatch(/at least one model/);
    expect(rule('alias', values)).toMatch(/lowercase/);
    expect(rule('metadata', values)).toMatch(/JSON object/);
    expect(rule('name', values)).toMatch(/required/);
  });
});

describe('key update input', () => {
  const stored: EditableKey = {
    name: 'notebook',
    alias: 'ada',
    ownerKind: 'USER',
    userId: 'u1',
    teamId: 't1',
    moduleId: null,
    allowedModels: ['b', 'a'],
    expiresAt: '2031-01-01T00:00:00.000Z',
    metadata: { costCenter: 'R-17' },
  };

  it('sends nothing when nothing changed', () => {
    expect(updateKeyInput(stored, keyFormFrom(stored), now)).toEqual({});
  });

  it('sends only the changed fields, with null to clear', () => {
    const values = {
      ...keyFormFrom(stored),
      alias: '',
      attributionTeamId: null,
      models: ['a', 'b'],
      expiry: 'never' as const,
      metadata: '{"costCenter": "R-18"}',
    };
    expect(updateKeyInput(stored, values, now)).toEqual({
      alias: null,
      teamId: null,
      expiresAt: null,
      metadata: { costCenter: 'R-18' },
    });
  });

  it('clears the model list when every model is allowed again', () => {
    expect(updateKeyInput(stored, { ...keyFormFrom(stored), allModels: true }, now)).toEqual({ allowedModels: null });
  });

  it('never sends an owning team change for a team key', () => {
    const teamKey: EditableKey = { ...stored, ownerKind: 'TEAM', userId: null, teamId: 't1' };
    const values = { ...keyFormFrom(teamKey), teamId: 't2' };
    expect(updateKeyInput(teamKey, values, now)).toEqual({});
  });
});
