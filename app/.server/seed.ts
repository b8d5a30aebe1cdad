// Demo data: the tenants shipped in tenants/<slug>/ with one user per role each.
// Runs on first start (and `rapport seed`); a second run leaves existing data alone.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { withSystem } from '~/.server/db/tenant';
import { getEnv, projectPath } from '~/.server/env';
import { tenantFileSchema, type TenantFile } from '~/lib/culture';
import type { Role } from '~/lib/roles';
import { createMember } from './tenants/members';
import { createTenant, findTenantBySlug } from './tenants/tenants';

export type DemoLogin = { tenant: string; email: string; role: Role };

const DEMO_ROLES: { role: Role; local: string }[] = [
  { role: 'manager', local: 'manager' },
  { role: 'hr_admin', local: 'hr' },
  { role: 'tenant_admin', local: 'admin' },
  { role: 'reviewer', local: 'reviewer' },
];

export function readTenantFiles(dir = projectPath('tenants')): { file: TenantFile; dir: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'tenant.json')))
    .map((d) => {
      const tenantDir = path.join(dir, d.name);
      const raw = JSON.parse(fs.readFileSync(path.join(tenantDir, 'tenant.json'), 'utf8'));
      const parsed = tenantFileSchema.safeParse(raw);
      if (!parsed.success) {
        throw new Error(`tenants/${d.name}/tenant.json is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
      return { file: parsed.data, dir: tenantDir };
    });
}

/** Words are easier to type from a terminal than random base64. */
function generatePassword() {
  const words = ['maple', 'harbor', 'lantern', 'copper', 'meadow', 'summit', 'river', 'cedar', 'ember', 'orbit', 'willow', 'quartz'];
  const pick = () => words[crypto.randomInt(words.length)];
  return `${pick()}-${pick()}-${pick()}-${crypto.randomInt(100, 1000)}`;
}

export type SeedResult = { seeded: boolean; logins: DemoLogin[]; password: string | null; passwordFile: string | null };

type SeedHook = (tenant: { id: string; slug: string }, source: { file: TenantFile; dir: string }) => Promise<void>;
const afterTenantHooks: SeedHook[] = [];
/** Later capabilities (culture packs, …) add their demo data per tenant here. */
export function onTenantSeeded(hook: SeedHook) {
  afterTenantHooks.push(hook);
}

export async function seedDemoTenants(opts: { force?: boolean; log?: (s: string) => void } = {}): Promise<SeedResult> {
  const log = opts.log ?? (() => {});
  const env = getEnv();
  const [done] = await withSystem((tx) => tx`select value from app_meta where key = 'demo_seeded_at'`);
  if (done && !opts.force) return { seeded: false, logins: [], password: null, passwordFile: null };

  const password = env.DEMO_PASSWORD ?? generatePassword();
  const logins: DemoLogin[] = [];
  for (const source of readTenantFiles()) {
    const { file } = source;
    let tenant = await findTenantBySlug(file.slug);
    if (!tenant) {
      tenant = await createTenant({ slug: file.slug, name: file.name, industry: file.industry, country: file.country, settings: file.settings });
      log(`created tenant ${file.slug}`);
    }
    for (const { role, local } of DEMO_ROLES) {
      const email = `${local}@${file.emailDomain}`;
      const [exists] = await withSystem((tx) => tx`select 1 from app_user where email = ${email}`);
      if (!exists) {
        await createMember({ tenantId: tenant.id, email, role, password, displayName: `${file.name.split(' ')[0]} ${local}`, actor: { userId: null, label: 'seed' } });
      }
      logins.push({ tenant: file.slug, email, role });
    }
    for (const hook of afterTenantHooks) await hook({ id: tenant.id, slug: tenant.slug }, source);
  }
  await withSystem((tx) => tx`insert into app_meta (key, value) values ('demo_seeded_at', ${new Date().toISOString()})
    on conflict (key) do update set value = excluded.value, updated_at = now()`);

  let passwordFile: string | null = null;
  if (!env.DEMO_PASSWORD) {
    // Kept beside the data so a missed first-start message is not a lock-out.
    passwordFile = path.join(env.dataDir, 'demo-password.txt');
    fs.mkdirSync(env.dataDir, { recursive: true });
    fs.writeFileSync(passwordFile, password + '\n', { mode: 0o600 });
  }
  return { seeded: true, logins, password, passwordFile };
}

/**
 * Tenants of a fixture folder (tests/fixtures/packs: packs no demo tenant has, for the benches' untuned batches),
 * created with their packs published as the demo tenants' are, but without demo logins.
 */
export async function seedTenantsFrom(dir: string): Promise<void> {
  for (const source of readTenantFiles(dir)) {
    const { file } = source;
    const tenant =
      (await findTenantBySlug(file.slug)) ?? (await createTenant({ slug: file.slug, name: file.name, industry: file.industry, country: file.country, settings: file.settings }));
    for (const hook of afterTenantHooks) await hook({ id: tenant.id, slug: tenant.slug }, source);
  }
}

export function formatDemoLogins(result: SeedResult): string {
  if (!result.seeded) return '';
  const lines = ['Demo logins (password: ' + result.password + '):'];
  for (const l of result.logins) lines.push(`  ${l.tenant.padEnd(22)} ${l.role.padEnd(13)} ${l.email}`);
  if (result.passwordFile) lines.push(`  (the generated password is also saved in ${result.passwordFile})`);
  return lines.join('\n');
}
