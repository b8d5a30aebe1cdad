import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  useLocation,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react';
import type { ReactNode } from 'react';
import { optionalUser } from '~/.server/auth/guards';
import { getTenant } from '~/.server/tenants/tenants';
import { useNonce } from '~/components/nonce';
import { NAVIGATION, ROLE_LABELS, type Role } from '~/lib/roles';
import styles from '~/styles.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: '/favicon.ico', sizes: '32x32' },
];
export const meta: MetaFunction = () => [{ title: 'Rapport — coaching for frontline managers' }];

export async function loader(args: LoaderFunctionArgs) {
  const user = optionalUser(args);
  if (!user) return { user: null };
  const tenant = await getTenant({ tenantId: user.tenantId });
  return {
    user: { email: user.email, displayName: user.displayName, role: user.role as Role, tenantName: tenant.name },
  };
}

function Header() {
  const data = useRouteLoaderData<typeof loader>('root');
  const user = data?.user;
  const { pathname } = useLocation();
  const activeNav = user ? activeNavItem(NAVIGATION[user.role].map((i) => i.to), pathname) : null;
  return (
    <header className="topbar">
      <Link to="/" className="brand" aria-label="Rapport home">
        <span className="brand-mark" aria-hidden="true">R</span> Rapport
      </Link>
      {user ? (
        <>
          <nav aria-label="Main" className="mainnav">
            {NAVIGATION[user.role].map((item) => {
              const current = item.to === activeNav;
              return (
                <Link key={item.to} to={item.to} className={current ? 'active' : undefined} aria-current={current ? 'page' : undefined}>
                  {item.label}
                </Link>
              );
            })}
          </nav>
          <div className="whoami">
            <span className="tenant">{user.tenantName}</span>
            <span className="muted">
              {user.email} · {ROLE_LABELS[user.role]}
            </span>
            <Form method="post" action="/logout">
              <button type="submit" className="btn-link">
                Sign out
              </button>
            </Form>
          </div>
        </>
      ) : null}
    </header>
  );
}

/** One nav item is current: the longest one the path is inside (/chat/shared is not also Coach). */
function activeNavItem(items: string[], pathname: string): string | null {
  const inside = items.filter((to) => pathname === to || pathname.startsWith(to.endsWith('/') ? to : `${to}/`));
  return inside.sort((a, b) => b.length - a.length)[0] ?? null;
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return (
    <>
      <Header />
      <main id="main">
        <Outlet />
      </main>
    </>
  );
}

const ERROR_COPY: Record<number, { title: string; body: string }> = {
  400: { title: 'That request did not make sense', body: 'Something in what was sent was missing or malformed.' },
  403: { title: 'You do not have access to this page', body: 'Your role does not include this page. If you think it should, ask your tenant admin.' },
  404: { title: 'Page not found', body: 'There is nothing at this address. Check the link, or go back to your home page.' },
  405: { title: 'This page cannot do that', body: 'This address does not accept that kind of request. Go back and use the page’s own buttons and forms.' },
  413: { title: 'That was too large', body: 'Please send something smaller.' },
  503: { title: 'Rapport is unavailable right now', body: 'We cannot reach the database. Nothing you wrote has been lost; please try again shortly.' },
};

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const copy = ERROR_COPY[status] ?? { title: 'Something went wrong', body: 'An unexpected error happened. It has been logged; please try again.' };
  // Our own 4xx responses carry a message for people; Remix's 405 ("…did not provide an `action`…") does not.
  const detail = isRouteErrorResponse(error) && typeof error.data === 'string' && status < 500 && status !== 405 ? error.data : null;
  return (
    <>
      <Header />
      <main id="main" className="error-page">
        <p className="error-code">Error {status}</p>
        <h1>{copy.title}</h1>
        <p>{detail && detail !== copy.title ? detail : copy.body}</p>
        <p>
          <Link to="/">Go to your home page</Link>
        </p>
      </main>
    </>
  );
}
