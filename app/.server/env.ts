// Environment, validated once with zod. Server-only: nothing here reaches the browser.
import path from 'node:path';
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Where the embedded database (and other local state) lives when DATABASE_URL is unset. */
  DATA_DIR: z.string().default('./data'),
  /** Any Postgres >= 15 with pgvector >= 0.7. Unset: the embedded PGlite database in DATA_DIR. */
  DATABASE_URL: optionalString,
  /** Loopback port of the embedded database server (0 = any free port; printed at start). */
  EMBEDDED_DB_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** shared_buffers of the embedded database (more: faster large retrievals; less: smaller memory). */
  EMBEDDED_DB_SHARED_BUFFERS: z.string().regex(/^\d+(kB|MB|GB)$/, 'use e.g. 16MB').default('16MB'),
  /** Connections per web process (each of WEB_CONCURRENCY processes has its own pool). */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(8),
  /** A read replica for dashboards (usage, cost, counts); unset: they read from DATABASE_URL. */
  DATABASE_READ_URL: optionalString,
  /** Web processes to start (server/index.ts); unset: the number of cores in production, 1 in development. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /** Password of the seeded demo users. Unset: a generated one, printed at first start. */
  DEMO_PASSWORD: optionalString,
  /** Seed the demo tenants from tenants/ on first start. */
  SEED_DEMO: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** Public origin used to build invite links (default: http://localhost:PORT). */
  PUBLIC_URL: optionalString,
  /** Secure session cookie; default on in production (browsers accept it on http://localhost). */
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  SESSION_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  INVITE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
  /** Express "trust proxy" setting when behind a load balancer (e.g. "loopback" or "1"); unset: not trusted. */
  TRUST_PROXY: optionalString,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // Model providers (see app/.server/models/providers.ts); all optional.
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString,
  ANTHROPIC_API_KEY: optionalString,
  OPENAI_COMPATIBLE_BASE_URL: optionalString,
  OPENAI_COMPATIBLE_API_KEY: optionalString,
  OPENAI_COMPATIBLE_CHAT_MODEL: optionalString,
  OPENAI_COMPATIBLE_JUDGE_MODEL: optionalString,
  OPENAI_COMPATIBLE_EMBEDDING_MODEL: optionalString,
  OPENAI_COMPATIBLE_EMBEDDING_DIMENSIONS: z.coerce.number().int().positive().max(8192).optional(),
  RAPPORT_CHAT_MODEL: optionalString,
  RAPPORT_SENSITIVE_MODEL: optionalString,
  RAPPORT_JUDGE_MODEL: optionalString,
  RAPPORT_GROUNDING_MODEL: optionalString,
  RAPPORT_EMBEDDING_MODEL: optionalString,
  RAPPORT_ZERO_RETENTION_MODELS: optionalString,
  OPENAI_COMPATIBLE_LOCAL: optionalString,
  // The safety model (app/.server/safety/safety-model.ts): a second opinion on every message.
  RAPPORT_SAFETY_MODEL: optionalString,
  OPENAI_COMPATIBLE_SAFETY_MODEL: optionalString,
  OPENAI_COMPATIBLE_SAFETY_BASE_URL: optionalString,
  /**
   * Wraps every tenant's data key (encryption at rest, ADR 029): 32 bytes as 64 hex digits or base64.
   * Required in production with DATABASE_URL; otherwise generated once into DATA_DIR/master.key.
   */
  RAPPORT_MASTER_KEY: optionalString,
  RAPPORT_SAFETY_MODEL_TIMEOUT_MS: z.coerce.number().int().min(100).max(10_000).optional(),
  // Culture-pack ingestion in the server's job process (ADR 038): documents at once, and how long
  // a claim holds without a heartbeat (a killed job process's work is resumed after this).
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  INGEST_LEASE_MS: z.coerce.number().int().min(300).max(3_600_000).default(60_000),
});

export type Env = z.infer<typeof envSchema> & { projectRoot: string; dataDir: string };

export class EnvError extends Error {}

let cached: Env | undefined;

/** Parses process.env once; throws EnvError with every problem listed. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new EnvError(`Invalid environment:\n${problems}`);
  }
  const projectRoot = process.env.RAPPORT_ROOT ?? process.cwd();
  cached = { ...parsed.data, projectRoot, dataDir: path.resolve(projectRoot, parsed.data.DATA_DIR) };
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvForTests() {
  cached = undefined;
}

export function projectPath(...parts: string[]) {
  return path.join(getEnv().projectRoot, ...parts);
}
