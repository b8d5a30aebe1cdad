// Roles and what each may open. Client-safe: the navigation is built from this too.
// reviewer: reads exchanges managers chose to share (anonymized) and annotates them. Only a tenant admin
// assigns it; no other role includes it.
export const ROLES = ['manager', 'hr_admin', 'tenant_admin', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  manager: 'Manager',
  hr_admin: 'HR admin',
  tenant_admin: 'Tenant admin',
  reviewer: 'Reviewer',
};

export type NavItem = { to: string; label: string };

/** Each role's home and navigation. */
export const NAVIGATION: Record<Role, NavItem[]> = {
  manager: [
    { to: '/chat', label: 'Coach' },
    { to: '/chat/shared', label: 'Shared for review' },
  ],
  hr_admin: [
    { to: '/hr', label: 'Overview' },
    { to: '/hr/pack', label: 'Culture pack' },
    { to: '/hr/safety', label: 'Safety & hand-offs' },
    { to: '/hr/gaps', label: 'Pack gaps' },
  ],
  tenant_admin: [
    { to: '/admin', label: 'Overview' },
    { to: '/admin/usage', label: 'Usage & cost' },
    { to: '/admin/compare', label: 'Compare models' },
    { to: '/admin/settings', label: 'Settings' },
    { to: '/admin/members', label: 'Members' },
    { to: '/admin/audit', label: 'Audit log' },
  ],
  reviewer: [
    { to: '/review', label: 'Review queue' },
    { to: '/review/cases', label: 'Evaluation set' },
  ],
};

export function homeFor(role: Role): string {
  return NAVIGATION[role][0].to;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
