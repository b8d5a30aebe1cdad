import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';

export const meta: MetaFunction = () => [{ title: 'Coach · Rapport' }];

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'manager');
  return { name: user.displayName };
}

export default function ManagerHome() {
  const { name } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Hi {name}</h1>
      <p className="lead">Your coach is here for the hard parts of managing a team.</p>
    </div>
  );
}
