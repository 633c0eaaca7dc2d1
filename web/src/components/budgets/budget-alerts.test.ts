import { describe, expect, it } from 'vitest';
import { alertBadge, alertSeverity, mergeAlerts } from './budget-alerts';

const a = (id: string, raisedAt: string) => ({ id, raisedAt });

describe('mergeAlerts', () => {
  it('puts pushed alerts first by time, once each, cut to the length', () => {
    const current = [a('2', '2030-01-01T02:00:00Z'), a('1', '2030-01-01T01:00:00Z')];
    const pushed = [a('3', '2030-01-01T03:00:00Z'), a('2', '2030-01-01T02:00:00Z')];
    expect(mergeAlerts(current, pushed, 10).map((x) => x.id)).toEqual(['3', '2', '1']);
    expect(mergeAlerts(current, pushed, 2).map((x) => x.id)).toEqual(['3', '2']);
  });
});

describe('alert labels', () => {
  it.each([
    [{ kind: 'THRESHOLD', threshold: 50 }, '50%', 'info'],
    [{ kind: 'THRESHOLD', threshold: 80 }, '80%', 'warning'],
    [{ kind: 'THRESHOLD', threshold: 100 }, '100%', 'error'],
    [{ kind: 'FAIL_OPEN', threshold: null }, 'Fail-open', 'error'],
  ])('%o', (alert, badge, severity) => {
    expect(alertBadge(alert)).toBe(badge);
    expect(alertSeverity(alert)).toBe(severity);
  });
});
