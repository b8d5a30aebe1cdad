import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { passwordProblem } from '~/.server/auth/password';
import { startSession } from '~/.server/auth/session';
import { badRequest, parseForm } from '~/.server/forms';
import { acceptInvite, InviteError, peekInvite } from '~/.server/tenants/invites';
import { PASSWORD_MAX, PASSWORD_MIN } from '~/lib/password-rules';
import { homeFor, ROLE_LABELS } from '~/lib/roles';

export const meta: MetaFunction = () => [{ title: 'Join your team · Rapport' }];

export async function loader({ params }: LoaderFunctionArgs) {
  try {
    const invite = await peekInvite(params.token ?? '');
    return { ok: true as const, invite };
  } catch (err) {
    if (err instanceof InviteError) return data({ ok: false as const, error: err.message }, { status: err.code === 'invalid' ? 404 : 410 });
    throw err;
  }
}

const schema = z
  .object({
    displayName: z.string().trim().max(80, 'Use at most 80 characters.').optional().default(''),
    password: z.string().min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`).max(PASSWORD_MAX),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two passwords differ.' });

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await parseForm(request, schema);
  if (!form.ok) return form.failure;
  const problem = passwordProblem(form.data.password);
  if (problem) return badRequest(problem, { password: problem });
  try {
    const member = await acceptInvite({ token: params.token ?? '', password: form.data.password, displayName: form.data.displayName });
    const cookie = await startSession({ id: member.id, tenantId: member.tenantId });
    throw redirect(homeFor(member.role), { headers: { 'Set-Cookie': cookie } });
  } catch (err) {
    if (err instanceof InviteError) return badRequest(err.message, {}, 410);
    throw err;
  }
}

export default function AcceptInvite() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  if (!loaded.ok) {
    return (
      <div className="auth-card card">
        <h1>This invite can't be used</h1>
        <p role="alert" className="alert alert-error">
          {loaded.error}
        </p>
        <a href="/login">Go to sign in</a>
      </div>
    );
  }
  const errors = result && !result.ok ? result.fieldErrors : {};
  return (
    <div className="auth-card card">
      <h1>Join {loaded.invite.tenantName}</h1>
      <p className="muted">
        You were invited as <strong>{ROLE_LABELS[loaded.invite.role]}</strong> with <strong>{loaded.invite.email}</strong>. Choose a
        password to finish.
      </p>
      <Form method="post" noValidate>
        {result && !result.ok && result.formError ? (
          <p role="alert" className="alert alert-error">
            {result.formError}
          </p>
        ) : null}
        <label>
          Your name (optional)
          <input name="displayName" autoComplete="name" />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="new-password" minLength={PASSWORD_MIN} required />
          {errors.password ? <span className="field-error">{errors.password}</span> : <span className="hint">At least {PASSWORD_MIN} characters.</span>}
        </label>
        <label>
          Repeat password
          <input name="confirm" type="password" autoComplete="new-password" required />
          {errors.confirm ? <span className="field-error">{errors.confirm}</span> : null}
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </Form>
    </div>
  );
}
