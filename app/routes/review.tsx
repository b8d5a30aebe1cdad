// The reviewer's area: shared, anonymized exchanges and the tenant's evaluation set.
import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';
import reviewStyles from '~/styles/review.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: reviewStyles }];

export function loader(args: LoaderFunctionArgs) {
  requireRole(args, 'reviewer');
  return null;
}

export default function ReviewLayout() {
  return <Outlet />;
}
