import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';
import { listAuditLog } from '~/.server/governance/audit';
import { auditDetailLines, summariseAuditEntry } from '~/lib/audit-summary';
import styles from '~/styles/admin.css?url';

export const meta: MetaFunction = () => [{ title: 'Audit log · Rapport' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];

const PAGE = 100;

export async function loader(args: LoaderFunctionArgs) {
  const admin = requireRole(args, 'tenant_admin');
  const url = new URL(args.request.url);
  const before = url.searchParams.get('before');
  const entries = await listAuditLog({ tenantId: admin.tenantId, limit: PAGE, before: before && /^\d+$/.test(before) ? before : undefined });
  return {
    entries: entries.map((e) => ({ id: e.id, at: new Date(e.at).toISOString(), actorLabel: e.actorLabel, action: e.action, summary: summariseAuditEntry(e), details: auditDetailLines(e.details) })),
  };
}

export default function AuditLog() {
  const { entries } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Audit log</h1>
      <p className="muted">Append-only record of administrative actions, newest first. It never contains conversation text.</p>
      {entries.length === 0 ? (
        <p className="empty">No administrative actions yet.</p>
      ) : (
        <table className="table audit-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td className="audit-when">
                  <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
                </td>
                <td className="audit-who">{e.actorLabel}</td>
                <td>
                  <p className="audit-summary">{e.summary}</p>
                  <p className="mono small muted audit-action">{e.action}</p>
                  {e.details.length ? (
                    <details className="audit-details">
                      <summary>Details</summary>
                      <dl>
                        {e.details.map((d) => (
                          <div key={d.key}>
                            <dt>{d.key}</dt>
                            <dd className="mono">{d.value}</dd>
                          </div>
                        ))}
                      </dl>
                    </details>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entries.length === PAGE ? <a href={`?before=${entries[entries.length - 1].id}`}>Older entries</a> : null}
    </div>
  );
}
