// Tenant settings are read leniently and written strictly (issue 13, item 10). A stored row the
// settings form would refuse — a quota raised past the maximum in SQL, a field from an older
// version — must not turn every request of that tenant into a 500: each invalid field falls back
// to its default, and the fallback is logged once per tenant and field. Writes still validate
// the whole result with tenantSettingsSchema.parse, so the forms can never store such a value.
import type { ZodIssue } from 'zod';
import { tenantSettingsSchema, type TenantSettings } from '~/lib/culture';

const logged = new Set<string>();

/** The stored settings with every invalid field replaced by its default. */
export function readTenantSettings(raw: unknown, tenantId = 'unknown'): TenantSettings {
  const first = tenantSettingsSchema.safeParse(raw ?? {});
  if (first.success) return first.data;
  let value: unknown = isObject(raw) ? structuredClone(raw) : {};
  let issues: ZodIssue[] = first.error.issues;
  const dropped: string[] = [];
  // Each round removes the fields the schema refused; nested ones (models.chat) individually.
  for (let round = 0; round < 10 && issues.length > 0; round++) {
    for (const issue of issues) {
      const path = issue.path.map(String);
      if (path.length === 0 || !isObject(value)) {
        value = {};
        dropped.push('(all)');
        break;
      }
      if (removePath(value, path)) dropped.push(path.join('.'));
    }
    const next = tenantSettingsSchema.safeParse(value);
    if (next.success) {
      warnOnce(tenantId, dropped);
      return next.data;
    }
    issues = next.error.issues;
  }
  warnOnce(tenantId, ['(all)']);
  return tenantSettingsSchema.parse({});
}

function warnOnce(tenantId: string, fields: string[]) {
  const fresh = [...new Set(fields)].filter((f) => !logged.has(`${tenantId}:${f}`));
  if (fresh.length === 0) return;
  for (const f of fresh) logged.add(`${tenantId}:${f}`);
  console.warn(`tenant ${tenantId}: invalid stored settings ${fresh.join(', ')} — using the defaults until an admin saves them again`);
}

/** Removes the value at path (or the nearest existing parent's child); true when something was removed. */
function removePath(root: Record<string, unknown>, path: string[]): boolean {
  let node: Record<string, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const child = node[path[i]];
    if (!isObject(child)) {
      // A parent of the wrong type (models: 5): drop the parent.
      delete node[path[i]];
      return true;
    }
    node = child;
  }
  const key = path[path.length - 1];
  if (!(key in node)) return false;
  delete node[key];
  return true;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** For tests: forget which fallbacks were logged. */
export function resetSettingsWarningsForTests() {
  logged.clear();
}
