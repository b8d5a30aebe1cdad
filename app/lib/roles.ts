// Roles and what each may open. Client-safe: the navigation is built from this too.
export const ROLES = ['manager', 'hr_admin', 'tenant_admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  manager: 'Manager',
  hr_admin: 'HR admin',
  tenant_admin: 'Tenant admin',
};

export type NavItem = { to: string; label: string };

/** Each role's home and navigation. */
export const NAVIGATION: Record<Role, NavItem[]> = {
  manager: [{ to: '/chat', label: 'Coach' }],
  hr_admin: [
    { to: '/hr', label: 'Overview' },
    { to: '/hr/pack', label: 'Culture pack' },
    { to: '/hr/safety', label: 'Safety & hand-offs' },
  ],
  tenant_admin: [
    { to: '/admin', label: 'Overview' },
    { to: '/admin/usage', label: 'Usage & cost' },
    { to: '/admin/settings', label: 'Settings' },
    { to: '/admin/members', label: 'Members' },
    { to: '/admin/audit', label: 'Audit log' },
  ],
};

export function homeFor(role: Role): string {
  return NAVIGATION[role][0].to;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
