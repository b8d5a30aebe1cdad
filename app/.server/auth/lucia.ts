// Lucia v3 sessions stored in Postgres (user_session). Upstream deprecated the lucia package
// in 2025; it stays behind this folder so it can be swapped (docs/decisions/004).
import { PostgresJsAdapter } from '@lucia-auth/adapter-postgresql';
import { Lucia, TimeSpan } from 'lucia';
import type { DatabaseSession, DatabaseUser } from 'lucia';
import { db } from '~/.server/db/client';
import { literal } from '~/.server/db/round-trip';
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

/**
 * Every request validates its session: the stock adapter does that with two parameterised
 * statements (four round trips with prepare: false); here it is one simple-protocol statement
 * (docs/decisions/039). Only the columns Lucia's attribute getters below read are selected.
 */
class SessionAdapter extends PostgresJsAdapter {
  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = (await db()
      .unsafe(
        `select s.id, s.user_id, s.expires_at, s.tenant_id as session_tenant_id,
           u.id as uid, u.tenant_id, u.email, u.display_name, u.role, u.status
         from user_session s left join app_user u on u.id = s.user_id
         where s.id = ${literal(sessionId)}`,
      )
      .simple()) as unknown as Array<Record<string, unknown>>;
    if (!row) return [null, null];
    const session: DatabaseSession = {
      id: row.id as string,
      userId: row.user_id as string,
      expiresAt: row.expires_at as Date,
      attributes: { tenant_id: row.session_tenant_id as string },
    };
    const user: DatabaseUser | null =
      row.uid === null
        ? null
        : {
            id: row.uid as string,
            attributes: {
              tenant_id: row.tenant_id as string,
              email: row.email as string,
              display_name: row.display_name as string,
              role: row.role as Role,
              status: row.status as DatabaseUserAttributes['status'],
            },
          };
    return [session, user];
  }
}

function createLucia() {
  const env = getEnv();
  // The adapter only runs lookups by primary key; it uses the owner connection (system path).
  const adapter = new SessionAdapter(db() as never, { user: 'app_user', session: 'user_session' });
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
