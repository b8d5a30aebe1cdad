import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../helpers/db';
import { rapport } from '../helpers/cli';

const database = useTestDatabase();
const run = (...argv: string[]) => rapport(argv, { databaseUrl: database.url });

describe('rapport eval', () => {
  it("runs a demo tenant's scenarios through the coach and reports each check", async () => {
    process.env.DEMO_PASSWORD = 'demo-password-1';
    expect((await run('seed')).code).toBe(0);
    delete process.env.DEMO_PASSWORD;
    const r = await run('eval', '--tenant', 'lumen-callcentre', '--json');
    const report = JSON.parse(r.stdout);
    expect(report.tenant).toBe('lumen-callcentre');
    expect(report.scenarios.length).toBeGreaterThanOrEqual(8);
    expect(report.passed + report.failed).toBe(report.scenarios.length);
    expect(r.code).toBe(report.failed === 0 ? 0 : 1);
    for (const s of report.scenarios) {
      expect(Object.keys(s.checks)).toEqual(['checkInFirst', 'document', 'mustNotContain']);
      expect(s.judge).toBeNull(); // no judge model is configured here
    }
    // The crisis scenario is answered by the escalation reply: no model is called.
    const crisis = report.scenarios.find((s: { safetyLevel: string }) => s.safetyLevel === 'crisis');
    expect(crisis).toMatchObject({ model: null, checks: { checkInFirst: true } });
    // Seeding three tenants (four demo users each, argon2) and ingesting their packs takes a while on a busy machine.
  }, 180_000);

  it('explains a missing scenarios file or tenant', async () => {
    const missing = await run('eval', '--tenant', 'lumen-callcentre', '--scenarios', '/nope.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no scenarios file/);
    const noTenant = await run('eval', '--tenant', 'no-such-co', '--scenarios', 'tenants/brightmart/scenarios.json');
    expect(noTenant.code).toBe(2);
    expect(noTenant.stderr).toMatch(/no tenant/);
  });
});
