import { afterEach, describe, expect, it } from 'vitest';
import { EnvError, getEnv, resetEnvForTests } from '~/.server/env';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

describe('environment', () => {
  it('has working defaults for a fresh machine', () => {
    for (const k of ['PORT', 'DATA_DIR', 'DATABASE_URL', 'DEMO_PASSWORD']) delete process.env[k];
    resetEnvForTests();
    const env = getEnv();
    expect(env.PORT).toBe(3000);
    expect(env.dataDir).toMatch(/data$/);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SESSION_DAYS).toBe(14);
  });
  it('treats blank optional values as unset', () => {
    process.env.DATABASE_URL = '  ';
    resetEnvForTests();
    expect(getEnv().DATABASE_URL).toBeUndefined();
  });
  it('lists every problem at once', () => {
    process.env.PORT = 'eighty';
    process.env.SESSION_DAYS = '0';
    resetEnvForTests();
    expect(() => getEnv()).toThrow(EnvError);
    try {
      getEnv();
    } catch (err) {
      expect((err as Error).message).toMatch(/PORT/);
      expect((err as Error).message).toMatch(/SESSION_DAYS/);
    }
  });
  it('documents every variable it reads in .env.example', async () => {
    const fs = await import('node:fs');
    const example = fs.readFileSync('.env.example', 'utf8');
    const source = fs.readFileSync('app/.server/env.ts', 'utf8');
    const names = [...source.matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});
