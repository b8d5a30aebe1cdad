import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rapport } from '../helpers/cli';
import { useTestDatabase } from '../helpers/db';
import { makeTenant } from '../helpers/factories';

const database = useTestDatabase();

describe('rapport packs import / rapport retrieve', () => {
  it('imports a folder, publishes it, and prints retrieved passages as JSON', async () => {
    const tenant = await makeTenant();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-pack-'));
    fs.writeFileSync(path.join(dir, 'shift-swaps.md'), '# Shift swaps\n\n## Notice\nTrades need 48 hours of notice and a manager’s approval.\n');
    fs.writeFileSync(path.join(dir, 'breaks.txt'), 'Every associate gets a paid fifteen minute break per four hours worked.\n');
    fs.writeFileSync(path.join(dir, 'empty.md'), '');

    const imported = await rapport(['packs', 'import', dir, '--tenant', tenant.slug, '--publish'], { databaseUrl: database.url });
    expect(imported.stdout).toMatch(/imported  shift-swaps\.md \(\d+ passages\)/);
    expect(imported.stdout).toMatch(/failed    empty\.md: This file is empty/);
    expect(imported.stdout).toMatch(/published version 1/);
    expect(imported.code).toBe(1); // one file failed

    const retrieved = await rapport(['retrieve', '--tenant', tenant.slug, '--k', '2', '--json', 'How much notice for a shift trade?'], { databaseUrl: database.url });
    expect(retrieved.code).toBe(0);
    const json = JSON.parse(retrieved.stdout) as { passages: Array<Record<string, unknown>> };
    expect(json.passages.length).toBeGreaterThan(0);
    expect(json.passages.length).toBeLessThanOrEqual(2);
    expect(Object.keys(json.passages[0])).toEqual(['document', 'heading', 'text', 'score', 'chunkId', 'version']);
    expect(json.passages[0]).toMatchObject({ document: 'Shift swaps', heading: 'Notice', version: 1 });

    const bad = await rapport(['retrieve', '--tenant', tenant.slug, '--k', '0', '--json', 'x'], { databaseUrl: database.url });
    expect(bad.code).toBe(2);
    const unknown = await rapport(['retrieve', '--tenant', 'no-such-tenant', '--json', 'x'], { databaseUrl: database.url });
    expect(unknown.stderr).toMatch(/no tenant with slug/);
  });
});
