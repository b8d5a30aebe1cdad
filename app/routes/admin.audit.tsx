import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';
import { listAuditLog } from '~/.server/governance/audit';

export const meta: MetaFunction = () => [{ title: 'Audit log · Rapport' }];

export async function loader(args: LoaderFunctionArgs) {
  const admin = requireRole(args, 'tenant_admin');
  const url = new URL(args.request.url);
  const before = url.searchParams.get('before');
  const entries = await listAuditLog({ tenantId: admin.tenantId, limit: 100, before: before && /^\d+$/.test(before) ? before : undefined });
  return { entries };
}

export default function AuditLog() {
  const { entries } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Audit log</h1>
      <p className="muted">Append-only record of administrative actions. It never contains conversation text.</p>
      {entries.length === 0 ? (
        <p className="empty">No administrative actions yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{e.actorLabel}</td>
                <td className="mono">{e.action}</td>
                <td>{e.target}</td>
                <td className="mono small">{Object.keys(e.details).length ? JSON.stringify(e.details) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entries.length === 100 ? <a href={`?before=${entries[entries.length - 1].id}`}>Older entries</a> : null}
    </div>
  );
}
