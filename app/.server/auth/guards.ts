// Guards that throw: every loader and action of a protected route calls one.
import { redirect } from '@remix-run/node';
import type { AppLoadContext } from '@remix-run/node';
import type { User } from 'lucia';
import { ROLE_LABELS, type Role } from '~/lib/roles';

type Args = { request: Request; context: AppLoadContext };

export function optionalUser({ context }: Args): User | null {
  return context.auth?.user ?? null;
}

/** Signed-out visitors are sent to sign-in, and come back afterwards. */
export function requireUser(args: Args): User {
  const user = optionalUser(args);
  if (!user) {
    const url = new URL(args.request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

/** A signed-in person without the role gets the 403 page. */
export function requireRole(args: Args, ...roles: Role[]): User {
  const user = requireUser(args);
  const rejection = roleRejection(user, roles);
  if (rejection) throw rejection;
  return user;
}

/** The 403 for a signed-in person without one of `roles`; null when they have one. */
export function roleRejection(user: User, roles: Role[]): Response | null {
  if (roles.includes(user.role)) return null;
  return new Response(
    `This page is for ${roles.map((r) => ROLE_LABELS[r]).join(' or ')} accounts; you are signed in as ${ROLE_LABELS[user.role]}. If you need access, ask your tenant admin.`,
    { status: 403, statusText: 'Forbidden' },
  );
}
