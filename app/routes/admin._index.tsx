import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';
import { listMembers } from '~/.server/tenants/members';
import { getTenant } from '~/.server/tenants/tenants';

export const meta: MetaFunction = () => [{ title: 'Admin overview · Rapport' }];

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'tenant_admin');
  const [tenant, members] = await Promise.all([getTenant({ tenantId: user.tenantId }), listMembers({ tenantId: user.tenantId })]);
  return {
    tenantName: tenant.name,
    settings: tenant.settings,
    activeMembers: members.filter((m) => m.status === 'active').length,
  };
}

export default function AdminHome() {
  const { tenantName, settings, activeMembers } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{tenantName} — admin</h1>
      <dl className="stats">
        <div>
          <dt>Active members</dt>
          <dd>{activeMembers}</dd>
        </div>
        <div>
          <dt>Monthly budget</dt>
          <dd>${settings.monthlyBudgetUsd.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Retention</dt>
          <dd>{settings.retentionDays === 0 ? 'Zero retention' : `${settings.retentionDays} days`}</dd>
        </div>
      </dl>
      <div className="tiles">
        <Link className="tile card" to="/admin/usage">
          <h2>Usage &amp; cost</h2>
          <p>Tokens, latency and dollars by day, model and person.</p>
        </Link>
        <Link className="tile card" to="/admin/compare">
          <h2>Compare models</h2>
          <p>Which model is good enough for your people, at what cost.</p>
        </Link>
        <Link className="tile card" to="/admin/settings">
          <h2>Settings</h2>
          <p>Budget, quotas, models, temperature cap and retention.</p>
        </Link>
        <Link className="tile card" to="/admin/members">
          <h2>Members</h2>
          <p>Invite people, change roles, deactivate accounts.</p>
        </Link>
        <Link className="tile card" to="/admin/audit">
          <h2>Audit log</h2>
          <p>Who changed what, and when.</p>
        </Link>
      </div>
    </div>
  );
}
