import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';
import { getTenant } from '~/.server/tenants/tenants';

export const meta: MetaFunction = () => [{ title: 'HR overview · Rapport' }];

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'hr_admin');
  const tenant = await getTenant({ tenantId: user.tenantId });
  return { tenantName: tenant.name };
}

export default function HrHome() {
  const { tenantName } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>HR overview</h1>
      <p className="lead">You shape how the coach speaks for {tenantName}: its policies, tone and norms, and the support people are offered.</p>
      <div className="tiles">
        <Link className="tile card" to="/hr/pack">
          <h2>Culture pack</h2>
          <p>Upload policies, edit tone, norms and support resources, preview and publish versions.</p>
        </Link>
        <Link className="tile card" to="/hr/safety">
          <h2>Safety &amp; hand-offs</h2>
          <p>Weekly counts of safety events and the hand-off cases people asked for. Conversations stay private.</p>
        </Link>
        <Link className="tile card" to="/hr/gaps">
          <h2>Questions the pack did not cover</h2>
          <p>Topics managers asked about that no policy answers, by week, once five or more people asked. Never their words.</p>
        </Link>
      </div>
    </div>
  );
}
