import crypto from 'node:crypto';
import { passwordProblem } from '~/.server/auth/password';
import { createMember, findUserForSignIn, listAllUsers, setMemberPassword } from '~/.server/tenants/members';
import { findTenantBySlug } from '~/.server/tenants/tenants';
import { isRole, ROLES } from '~/lib/roles';
import { printJson, requireString, UsageError, type Command } from '../command';

function passwordFrom(values: Record<string, unknown>): { password: string; generated: boolean } {
  if (typeof values.password === 'string') {
    const problem = passwordProblem(values.password);
    if (problem) throw new UsageError(`--password: ${problem}`);
    return { password: values.password, generated: false };
  }
  return { password: crypto.randomBytes(12).toString('base64url'), generated: true };
}

export const commands: Command[] = [
  {
    name: 'users create',
    summary: 'Create a user in a tenant',
    usage: `users create --tenant <slug> --email <email> --role <${ROLES.join('|')}> [--password <p>] [--name "<name>"]`,
    options: { tenant: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
    async run({ values, io }) {
      const slug = requireString(values, 'tenant');
      const email = requireString(values, 'email').toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError('--email is not an email address');
      const role = requireString(values, 'role');
      if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const tenant = await findTenantBySlug(slug);
      if (!tenant) throw new UsageError(`no tenant with slug "${slug}" (see: rapport tenants list)`);
      const { password, generated } = passwordFrom(values);
      await createMember({ tenantId: tenant.id, email, role, password, displayName: values.name as string | undefined, actor: { userId: null, label: 'operator' } });
      io.stdout.write(`created ${role} ${email} in ${slug}${generated ? `\npassword: ${password}` : ''}\n`);
    },
  },
  {
    name: 'users set-password',
    summary: "Set a user's password (ends their sessions)",
    usage: 'users set-password --email <email> [--password <p>]',
    options: { email: { type: 'string' }, password: { type: 'string' } },
    async run({ values, io }) {
      const email = requireString(values, 'email');
      const user = await findUserForSignIn(email);
      if (!user) throw new UsageError(`no user with email ${email}`);
      const { password, generated } = passwordFrom(values);
      await setMemberPassword({ tenantId: user.tenantId, userId: user.id, password });
      io.stdout.write(`password updated for ${user.email}${generated ? `\npassword: ${password}` : ''}\n`);
    },
  },
  {
    name: 'users list',
    summary: 'List every user: email, tenant slug, role',
    usage: 'users list [--json]',
    options: { json: { type: 'boolean' } },
    async run({ values, io }) {
      const users = await listAllUsers();
      if (values.json) return printJson(io, users.map((u) => ({ email: u.email, tenant: u.tenant, role: u.role, status: u.status })));
      for (const u of users) io.stdout.write(`${u.tenant.padEnd(24)} ${u.role.padEnd(13)} ${u.email}${u.status === 'active' ? '' : ' (deactivated)'}\n`);
    },
  },
];
