// One readable sentence per audit entry for the audit log page (issue 13, item 9); the raw
// details stay available behind "Details". Client-safe and pure, so it is unit-tested.

export interface AuditEntryView {
  action: string;
  target: string;
  details: Record<string, unknown>;
}

const SETTING_LABELS: Record<string, string> = {
  monthlyBudgetUsd: 'the monthly budget',
  budgetAlertPercent: 'the budget alert threshold',
  budgetAction: 'what happens at 100% of budget',
  dailyMessageQuota: 'the daily message quota',
  models: 'the models',
  budgetFallbackModel: 'the fallback model',
  temperatureCap: 'the temperature cap',
  retentionDays: 'conversation retention',
  zeroRetentionOnly: '“only zero-retention providers”',
  redactPersonalDetails: '“remove personal details”',
  review: 'sharing for review',
};

const ROLE_NAMES: Record<string, string> = { manager: 'manager', hr_admin: 'HR admin', tenant_admin: 'tenant admin', reviewer: 'reviewer' };

function settingValue(key: string, value: unknown): string {
  if (value === null || value === undefined) return 'not set';
  if (key === 'monthlyBudgetUsd' && typeof value === 'number') return `$${value.toLocaleString('en-US')}`;
  if (key === 'budgetAlertPercent' && typeof value === 'number') return `${value}%`;
  if (key === 'retentionDays' && typeof value === 'number') return value === 0 ? 'zero retention' : `${value} days`;
  if (key === 'budgetAction') return value === 'hard_stop' ? 'stop' : value === 'fallback_model' ? 'switch to the fallback model' : String(value);
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (key === 'review' && typeof value === 'object') {
    const r = value as { enabled?: boolean; judgeSamplePercent?: number };
    return `${r.enabled === false ? 'off' : 'on'} (judge scores ${r.judgeSamplePercent ?? 100}%)`;
  }
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null && v !== '');
    return parts.length ? parts.map(([k, v]) => `${k}: ${String(v)}`).join(', ') : 'defaults';
  }
  return String(value);
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function packChanges(d: Record<string, unknown>): string {
  const list = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  const parts: string[] = [];
  if (list(d.documentsAdded)) parts.push(`${plural(list(d.documentsAdded), 'document')} added`);
  if (list(d.documentsRemoved)) parts.push(`${plural(list(d.documentsRemoved), 'document')} removed`);
  if (list(d.documentsChanged)) parts.push(`${plural(list(d.documentsChanged), 'document')} changed`);
  if (list(d.toneChanged)) parts.push('tone changed');
  const normsAdded = Number(d.normsAdded ?? 0);
  const normsRemoved = Number(d.normsRemoved ?? 0);
  if (normsAdded) parts.push(`${plural(normsAdded, 'norm')} added`);
  if (normsRemoved) parts.push(`${plural(normsRemoved, 'norm')} removed`);
  if (d.resourcesChanged) parts.push('support resources changed');
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function summariseAuditEntry({ action, target, details: d }: AuditEntryView): string {
  if (action.startsWith('settings.')) {
    const label = SETTING_LABELS[target] ?? target;
    return `Changed ${label} from ${settingValue(target, d.from)} to ${settingValue(target, d.to)}`;
  }
  switch (action) {
    case 'culture_pack.publish':
      return `Published culture pack version ${d.version ?? '?'}${packChanges(d)}`;
    case 'culture_pack.rollback':
      return `Rolled the culture pack back: version ${d.version ?? '?'} restores version ${d.restoredFrom ?? '?'}${packChanges(d)}`;
    case 'member.create':
      return `Added ${target} as ${ROLE_NAMES[String(d.role)] ?? d.role}`;
    case 'member.invite':
      return `Invited ${target} as ${ROLE_NAMES[String(d.role)] ?? d.role}`;
    case 'member.invite_accepted':
      return `${target} accepted the invitation (${ROLE_NAMES[String(d.role)] ?? d.role})`;
    case 'member.role_change':
      return `Changed ${target}’s role from ${ROLE_NAMES[String(d.from)] ?? d.from} to ${ROLE_NAMES[String(d.to)] ?? d.to}`;
    case 'member.deactivate':
      return `Deactivated ${target}`;
    case 'member.reactivate':
      return `Reactivated ${target}`;
    case 'retention.run':
      return `Retention removed the text of ${plural(Number(d.deleted ?? 0), 'message')} (keeping ${target})`;
    case 'usage.export':
      return `Exported usage from ${d.from ?? '?'} to ${d.to ?? '?'} as ${String(d.format ?? 'csv').toUpperCase()}`;
    case 'safety.handoff_status':
      return `Moved a hand-off case from “${d.from ?? '?'}” to “${d.to ?? '?'}”`;
    case 'auth.sign_in_throttled':
      return `Slowed down sign-in to ${target} after ${plural(Number(d.failures ?? 0), 'failed attempt')} (${d.scope ?? 'throttled'}, from ${d.client ?? 'unknown'})`;
    case 'review.share':
      return 'A manager shared an anonymized exchange for review';
    case 'review.withdraw':
      return 'A manager withdrew a shared exchange';
    case 'review.annotate':
      return `Reviewed a shared exchange (overall score ${d.overall ?? '?'})`;
    case 'review.make_case':
      return `Made evaluation case ${target} from a reviewed exchange`;
    case 'review.delete_case':
      return `Deleted evaluation case ${target}`;
    case 'review.import_cases':
      return `Imported evaluation cases${target ? ` (${target})` : ''}`;
    default:
      return target ? `${action} · ${target}` : action;
  }
}

/** The details as label/value lines for "Details" (values of nested objects as compact JSON). */
export function auditDetailLines(details: Record<string, unknown>): Array<{ key: string; value: string }> {
  return Object.entries(details).map(([key, value]) => ({
    key,
    value: value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value),
  }));
}
