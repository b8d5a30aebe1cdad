// Lucia v3 sessions stored in Postgres (user_session). Upstream deprecated the lucia package
// in 2025; it stays behind this folder so it can be swapped (docs/decisions/004).
import { PostgresJsAdapter } from '@lucia-auth/adapter-postgresql';
import { Lucia, TimeSpan } from 'lucia';
import { db } from '~/.server/db/client';
import { getEnv } from '~/.server/env';
import type { Role } from '~/lib/roles';

type DatabaseUserAttributes = {
  tenant_id: string;
  email: string;
  display_name: string;
  role: Role;
  status: 'active' | 'deactivated';
};
type DatabaseSessionAttributes = { tenant_id: string };

function createLucia() {
  const env = getEnv();
  // The adapter only runs lookups by primary key; it uses the owner connection (system path).
  const adapter = new PostgresJsAdapter(db() as never, { user: 'app_user', session: 'user_session' });
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(env.SESSION_DAYS, 'd'),
    sessionCookie: {
      name: 'rapport_session',
      attributes: { secure: env.COOKIE_SECURE ?? env.NODE_ENV === 'production', sameSite: 'lax' },
    },
    getUserAttributes: (a) => ({
      tenantId: a.tenant_id,
      email: a.email,
      displayName: a.display_name,
      role: a.role,
      status: a.status,
    }),
    getSessionAttributes: (a) => ({ tenantId: a.tenant_id }),
  });
}

let instance: ReturnType<typeof createLucia> | undefined;
export function lucia() {
  instance ??= createLucia();
  return instance;
}

export function resetLuciaForTests() {
  instance = undefined;
}

declare module 'lucia' {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: DatabaseUserAttributes;
    DatabaseSessionAttributes: DatabaseSessionAttributes;
  }
}
