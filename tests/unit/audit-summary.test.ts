import { describe, expect, it } from 'vitest';
import { auditDetailLines, summariseAuditEntry } from '~/lib/audit-summary';

describe('audit log summaries', () => {
  it('says what changed in a setting, in words', () => {
    expect(summariseAuditEntry({ action: 'settings.temperature', target: 'temperatureCap', details: { from: 0.7, to: 0.3 } })).toBe(
      'Changed the temperature cap from 0.7 to 0.3',
    );
    expect(summariseAuditEntry({ action: 'settings.budget', target: 'monthlyBudgetUsd', details: { from: 100, to: 0.05 } })).toBe(
      'Changed the monthly budget from $100 to $0.05',
    );
    expect(summariseAuditEntry({ action: 'settings.retention', target: 'retentionDays', details: { from: 90, to: 0 } })).toBe(
      'Changed conversation retention from 90 days to zero retention',
    );
    expect(summariseAuditEntry({ action: 'settings.models', target: 'models', details: { from: {}, to: { chat: 'gpt-x' } } })).toBe(
      'Changed the models from defaults to chat: gpt-x',
    );
  });

  it('summarises pack publishes, member changes and throttles', () => {
    expect(
      summariseAuditEntry({
        action: 'culture_pack.publish',
        target: 'culture pack version 2',
        details: { version: 2, documentsAdded: ['a.md', 'b.md'], documentsRemoved: [], documentsChanged: [], toneChanged: ['formality'], normsAdded: 1, normsRemoved: 0, resourcesChanged: false },
      }),
    ).toBe('Published culture pack version 2 (2 documents added, tone changed, 1 norm added)');
    expect(summariseAuditEntry({ action: 'member.role_change', target: 'a@b.test', details: { from: 'manager', to: 'hr_admin' } })).toBe(
      'Changed a@b.test’s role from manager to HR admin',
    );
    expect(summariseAuditEntry({ action: 'auth.sign_in_throttled', target: 'a@b.test', details: { failures: 3, scope: 'this account from one client', client: '203.0.113.x' } })).toMatch(
      /after 3 failed attempts .*203\.0\.113\.x/,
    );
    expect(summariseAuditEntry({ action: 'something.new', target: 'x', details: {} })).toBe('something.new · x');
  });

  it('lists details as lines, nested values compact', () => {
    expect(auditDetailLines({ from: 1, to: { chat: 'm' }, note: null })).toEqual([
      { key: 'from', value: '1' },
      { key: 'to', value: '{"chat":"m"}' },
      { key: 'note', value: '—' },
    ]);
  });
});
