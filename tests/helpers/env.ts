// Sets environment variables for a test file and gives back the function that restores them (unset ones are
// deleted again). The app reads its environment once (getEnv), so both directions reset that cache.
import { resetEnvForTests } from '~/.server/env';

export function setTestEnv(vars: Record<string, string>): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(vars)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  resetEnvForTests();
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetEnvForTests();
  };
}
