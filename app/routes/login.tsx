import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { optionalUser } from '~/.server/auth/guards';
import { readDeviceToken, safeRedirect, signIn } from '~/.server/auth/sign-in';
import { badRequest, parseForm } from '~/.server/forms';
import { homeFor } from '~/lib/roles';

export const meta: MetaFunction = () => [{ title: 'Sign in · Rapport' }];

const schema = z.object({
  email: z.string().trim().min(1, 'Enter your email.').max(200).email('Enter a valid email address.'),
  password: z.string().min(1, 'Enter your password.').max(200, 'That password is too long.'),
  redirectTo: z.string().max(500).optional(),
});

export async function loader(args: LoaderFunctionArgs) {
  const user = optionalUser(args);
  if (user) throw redirect(homeFor(user.role));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await parseForm(request, schema);
  if (!form.ok) return form.failure;
  const result = await signIn({
    email: form.data.email,
    password: form.data.password,
    ip: context.clientIp ?? '',
    deviceToken: readDeviceToken(request.headers.get('cookie')),
  });
  if (!result.ok) return badRequest(result.error, {}, result.status);
  const headers = new Headers({ 'Set-Cookie': result.cookie });
  if (result.deviceCookie) headers.append('Set-Cookie', result.deviceCookie);
  throw redirect(safeRedirect(form.data.redirectTo, homeFor(result.role)), { headers });
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== 'idle';
  const errors = result && !result.ok ? result.fieldErrors : {};
  return (
    <div className="auth-card card">
      <h1>Sign in to Rapport</h1>
      <p className="muted">Coaching for frontline managers, in your company's voice.</p>
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
        {result && !result.ok && result.formError ? (
          <p role="alert" className="alert alert-error">
            {result.formError}
          </p>
        ) : null}
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required aria-invalid={!!errors.email || undefined} />
          {errors.email ? <span className="field-error">{errors.email}</span> : null}
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required aria-invalid={!!errors.password || undefined} />
          {errors.password ? <span className="field-error">{errors.password}</span> : null}
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </Form>
    </div>
  );
}
