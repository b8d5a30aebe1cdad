import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, NavLink, Outlet, useLoaderData, useNavigation } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';
import { loadPackSummary } from '~/.server/culture/admin';
import styles from '~/styles/culture.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction = () => [{ title: 'Culture pack · Rapport' }];

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'hr_admin');
  return loadPackSummary(user.tenantId);
}

const TABS = [
  { to: '/hr/pack', label: 'Documents', end: true },
  { to: '/hr/pack/tone', label: 'Tone & norms' },
  { to: '/hr/pack/resources', label: 'Support resources' },
  { to: '/hr/pack/preview', label: 'Preview' },
  { to: '/hr/pack/versions', label: 'Versions' },
];

export default function CulturePackLayout() {
  const { published, unpublishedChanges } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === 'submitting';
  return (
    <div className="page">
      <div className="pack-header">
        <div>
          <h1>Culture pack</h1>
          <p className="muted pack-status" data-testid="pack-status">
            {published ? (
              <>
                Published: <strong>version {published.number}</strong> · {new Date(published.publishedAt).toLocaleString()}
                {published.publishedBy ? ` by ${published.publishedBy}` : ''}
              </>
            ) : (
              'Nothing published yet: the coach uses no company policies until you publish.'
            )}
            {' · '}
            {unpublishedChanges > 0 ? (
              <span className="badge badge-draft">Draft has {unpublishedChanges} unpublished change{unpublishedChanges === 1 ? '' : 's'}</span>
            ) : (
              <span className="badge">Draft matches the published version</span>
            )}
          </p>
        </div>
        {unpublishedChanges > 0 && !busy ? (
          // Publishing asks first, on the Versions tab, beside what it would change.
          <Link className="btn btn-primary" to="/hr/pack/versions?confirm=publish">
            Publish draft…
          </Link>
        ) : (
          <button className="btn btn-primary" type="button" disabled>
            Publish draft
          </button>
        )}
      </div>
      <nav className="pack-tabs" aria-label="Culture pack">
        {TABS.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.end}>
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
