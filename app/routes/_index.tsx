import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { optionalUser } from '~/.server/auth/guards';
import { homeFor } from '~/lib/roles';

export async function loader(args: LoaderFunctionArgs) {
  const user = optionalUser(args);
  throw redirect(user ? homeFor(user.role) : '/login');
}
