import { describe, expect, it } from 'vitest';
import { signIn } from '~/.server/auth/sign-in';
import { useTestDatabase } from '../helpers/db';
import { rapport } from '../helpers/cli';

const database = useTestDatabase();
const run = (...argv: string[]) => rapport(argv, { databaseUrl: database.url });

describe('the rapport command', () => {
  it('prints help listing the operator commands', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    for (const c of ['db migrate', 'tenants create', 'users create', 'users set-password', 'users list', 'seed']) expect(r.stdout).toContain(c);
  });

  it('migrates idempotently', async () => {
    const r = await run('db', 'migrate');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/up to date/);
  });

  it('creates tenants and users, and lists users as JSON', async () => {
    expect((await run('tenants', 'create', '--slug', 'acme-retail', '--name', 'Acme Retail')).code).toBe(0);
    const created = await run('users', 'create', '--tenant', 'acme-retail', '--email', 'Boss@Acme.test', '--role', 'tenant_admin', '--password', 'a-long-password-1');
    expect(created.code).toBe(0);
    const list = await run('users', 'list', '--json');
    expect(list.code).toBe(0);
    const users = JSON.parse(list.stdout);
    expect(users).toContainEqual(expect.objectContaining({ email: 'boss@acme.test', tenant: 'acme-retail', role: 'tenant_admin' }));
    for (const u of users) expect(Object.keys(u)).toEqual(expect.arrayContaining(['email', 'tenant', 'role']));
    expect((await signIn({ email: 'boss@acme.test', password: 'a-long-password-1', ip: '127.0.0.1' })).ok).toBe(true);
  });

  it('sets a password, generating one when none is given', async () => {
    await run('tenants', 'create', '--slug', 'pw-co', '--name', 'PW Co');
    await run('users', 'create', '--tenant', 'pw-co', '--email', 'm@pw.test', '--role', 'manager', '--password', 'first-password-1');
    const r = await run('users', 'set-password', '--email', 'm@pw.test');
    expect(r.code).toBe(0);
    const password = r.stdout.match(/password: (\S+)/)?.[1];
    expect(password).toBeTruthy();
    expect((await signIn({ email: 'm@pw.test', password: password!, ip: '127.0.0.2' })).ok).toBe(true);
  });

  it('explains bad input with a usage message and exit code 2', async () => {
    const badRole = await run('users', 'create', '--tenant', 'acme-retail', '--email', 'x@acme.test', '--role', 'overlord');
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of manager, hr_admin, tenant_admin/);
    const noTenant = await run('users', 'create', '--tenant', 'nope', '--email', 'x@acme.test', '--role', 'manager');
    expect(noTenant.code).toBe(2);
    expect(noTenant.stderr).toMatch(/no tenant with slug "nope"/);
    const unknownFlag = await run('users', 'list', '--frobnicate');
    expect(unknownFlag.code).toBe(2);
    const dupTenant = await run('tenants', 'create', '--slug', 'acme-retail', '--name', 'Again');
    expect(dupTenant.code).toBe(1);
    expect(dupTenant.stderr).toMatch(/already exists/);
    const unknown = await run('teleport');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
  });

  it('seeds the demo tenants once', async () => {
    process.env.DEMO_PASSWORD = 'demo-password-1';
    const first = await run('seed');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/manager@brightmart\.example/);
    const second = await run('seed');
    expect(second.stdout).toMatch(/already seeded/);
    const users = JSON.parse((await run('users', 'list', '--json')).stdout) as { tenant: string; role: string }[];
    const brightmart = users.filter((u) => u.tenant === 'brightmart').map((u) => u.role).sort();
    expect(brightmart).toEqual(['hr_admin', 'manager', 'reviewer', 'tenant_admin']);
    delete process.env.DEMO_PASSWORD;
  });
});
