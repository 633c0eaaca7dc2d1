// Audit filters: the API filter built from the form, actions per entity type, labels.
import { describe, expect, it } from 'vitest';
import { actionOptions, actorKindLabel, entityLabel, stateValue, toAuditFilter } from './audit-filters';

describe('audit filters', () => {
  it('leaves empty choices out and sends the range as ISO instants', () => {
    expect(toAuditFilter({ actorId: null, targetType: null, action: '  ', range: null })).toEqual({
      actorId: null,
      targetType: null,
      action: null,
      from: null,
      to: null,
    });
    const from = Date.UTC(2026, 10, 1, 8);
    const to = Date.UTC(2026, 10, 2, 8);
    expect(
      toAuditFilter({ actorId: 'a1', targetType: 'apiToken', action: 'apiToken.revoke', range: [from, to] }),
    ).toEqual({
      actorId: 'a1',
      targetType: 'apiToken',
      action: 'apiToken.revoke',
      from: '2026-11-01T08:00:00.000Z',
      to: '2026-11-02T08:00:00.000Z',
    });
  });

  it('offers the actions recorded on the chosen entity type', () => {
    expect(actionOptions('apiToken').map((o) => o.value)).toEqual(['apiToken.create', 'apiToken.revoke']);
    expect(actionOptions('adminUser').map((o) => o.value)).toContain('session.login');
    expect(actionOptions('orgModule').map((o) => o.value)).toEqual([
      'module.enable',
      'module.updateEnablement',
      'module.disable',
    ]);
    expect(actionOptions('module').map((o) => o.value)).not.toContain('module.enable');
    expect(actionOptions('billingSettings').map((o) => o.value)).toEqual([
      'billingSettings.set',
      'billingSettings.reset',
      'billingSettings.setDefault',
    ]);
    expect(actionOptions(null).length).toBeGreaterThan(40);
  });

  it('names entity types and actor kinds, falling back to the raw value', () => {
    expect(entityLabel('virtualKey')).toBe('Key');
    expect(entityLabel('somethingNew')).toBe('somethingNew');
    expect(actorKindLabel('api_token')).toBe('API token');
    expect(actorKindLabel('robot')).toBe('robot');
  });

  it('shows state values on one line', () => {
    expect(stateValue('EUR')).toBe('EUR');
    expect(stateValue(20)).toBe('20');
    expect(stateValue(null)).toBe('null');
    expect(stateValue(undefined)).toBe('—');
    expect(stateValue(['a', 'b'])).toBe('["a","b"]');
  });
});
