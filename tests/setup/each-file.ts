// Runs before every test file: an unexpected console.error is a failure, not noise.
import { afterEach, vi } from 'vitest';

const errors: unknown[][] = [];
vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
  errors.push(args);
});

afterEach(() => {
  if (errors.length) {
    const first = errors.splice(0).map((a) => a.map(String).join(' ')).join('\n');
    throw new Error(`console.error was called during the test:\n${first}`);
  }
});

process.env.NODE_ENV = 'test';
process.env.SEED_DEMO ??= 'false';
