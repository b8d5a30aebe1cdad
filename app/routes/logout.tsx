import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { endSession } from '~/.server/auth/session';

export async function action({ context }: ActionFunctionArgs) {
  const session = context.auth?.session;
  const headers = new Headers();
  if (session) headers.append('Set-Cookie', await endSession(session.id));
  throw redirect('/login', { headers });
}

export async function loader() {
  throw redirect('/');
}
