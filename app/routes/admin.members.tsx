import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';
import { listPendingInvites } from '~/.server/tenants/invites';
import { handleMemberAction } from '~/.server/tenants/members-actions';
import { listMembers } from '~/.server/tenants/members';
import { ROLE_LABELS, ROLES } from '~/lib/roles';

export const meta: MetaFunction = () => [{ title: 'Members · Rapport' }];

export async function loader(args: LoaderFunctionArgs) {
  const admin = requireRole(args, 'tenant_admin');
  const [members, invites] = await Promise.all([
    listMembers({ tenantId: admin.tenantId }),
    listPendingInvites({ tenantId: admin.tenantId }),
  ]);
  return { members, invites, selfId: admin.id };
}

export async function action(args: ActionFunctionArgs) {
  const admin = requireRole(args, 'tenant_admin');
  return handleMemberAction(args.request, admin);
}

export default function Members() {
  const { members, invites, selfId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const errors = result && !result.ok ? result.fieldErrors : {};
  return (
    <div className="page">
      <h1>Members</h1>
      {result ? (
        <div role={result.ok ? 'status' : 'alert'} className={`alert ${result.ok ? 'alert-ok' : 'alert-error'}`}>
          <p>{result.ok ? result.message : result.formError}</p>
          {result.ok && result.inviteLink ? (
            <p>
              <label>
                Invite link (expires {new Date(result.expiresAt!).toLocaleString()})
                <input readOnly value={result.inviteLink} className="mono" data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
              </label>
            </p>
          ) : null}
        </div>
      ) : null}

      <section className="card">
        <h2>Invite a member</h2>
        <p className="muted">Rapport does not send email: you get a single-use link to hand over.</p>
        <Form method="post" className="inline-form" noValidate>
          <input type="hidden" name="intent" value="invite" />
          <label>
            Email
            <input name="email" type="email" required aria-invalid={!!errors.email || undefined} />
            {errors.email ? <span className="field-error">{errors.email}</span> : null}
          </label>
          <label>
            Role
            <select name="role" defaultValue="manager">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </label>
          <button className="btn btn-primary" type="submit" disabled={busy}>
            Create invite link
          </button>
        </Form>
      </section>

      <section className="card">
        <h2>People ({members.length})</h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id} className={m.status === 'deactivated' ? 'row-muted' : undefined}>
                  <td>{m.email}</td>
                  <td>{m.displayName}</td>
                  <td>
                    {m.id === selfId ? (
                      ROLE_LABELS[m.role]
                    ) : (
                      <Form method="post" className="row-form">
                        <input type="hidden" name="intent" value="role" />
                        <input type="hidden" name="userId" value={m.id} />
                        <select name="role" defaultValue={m.role} aria-label={`Role of ${m.email}`}>
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {ROLE_LABELS[r]}
                            </option>
                          ))}
                        </select>
                        <button className="btn btn-small" type="submit" disabled={busy}>
                          Save
                        </button>
                      </Form>
                    )}
                  </td>
                  <td>{m.status === 'active' ? 'Active' : 'Deactivated'}</td>
                  <td>
                    {m.id === selfId ? (
                      <span className="muted">you</span>
                    ) : (
                      <Form method="post">
                        <input type="hidden" name="intent" value={m.status === 'active' ? 'deactivate' : 'reactivate'} />
                        <input type="hidden" name="userId" value={m.id} />
                        <button className={`btn btn-small ${m.status === 'active' ? 'btn-danger' : ''}`} type="submit" disabled={busy}>
                          {m.status === 'active' ? 'Deactivate' : 'Reactivate'}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {invites.length > 0 ? (
        <section className="card">
          <h2>Pending invites</h2>
          <ul className="plain-list">
            {invites.map((i) => (
              <li key={i.id}>
                {i.email} · {ROLE_LABELS[i.role]} · expires {new Date(i.expiresAt).toLocaleString()}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
