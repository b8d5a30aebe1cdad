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

/** Every model purpose pointed at OpenAI (a mock server, with OPENAI_BASE_URL): chat, sensitive, judge, grounding, embeddings, safety. */
export const CLOUD_ENV_EVERY_PURPOSE: Readonly<Record<string, string>> = {
  OPENAI_API_KEY: 'sk-mock',
  RAPPORT_CHAT_MODEL: 'openai:gpt-4o',
  RAPPORT_SENSITIVE_MODEL: 'openai:gpt-4o',
  RAPPORT_JUDGE_MODEL: 'openai:gpt-4o',
  RAPPORT_GROUNDING_MODEL: 'openai:gpt-4o-mini',
  RAPPORT_EMBEDDING_MODEL: 'openai:text-embedding-3-small',
  RAPPORT_SAFETY_MODEL: 'openai:omni-moderation-latest',
};
