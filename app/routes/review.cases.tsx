// /review/cases — the tenant's evaluation set: cases made from reviewed items and imported scenarios.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/.server/auth/guards';
import { parseForm } from '~/.server/forms';
import { deleteEvalCase, listEvalCases } from '~/.server/review/cases';

export const meta: MetaFunction = () => [{ title: 'Evaluation set · Rapport' }];

export async function loader(args: LoaderFunctionArgs) {
  const reviewer = requireRole(args, 'reviewer');
  const cases = await listEvalCases({ tenantId: reviewer.tenantId });
  return { cases: cases.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })) };
}

const schema = z.object({ intent: z.literal('delete'), caseId: z.string().min(1).max(100) });

export async function action(args: ActionFunctionArgs) {
  const reviewer = requireRole(args, 'reviewer');
  const form = await parseForm(args.request, schema);
  if (!form.ok) return form.failure;
  if (!(await deleteEvalCase({ tenantId: reviewer.tenantId, actor: reviewer, caseId: form.data.caseId }))) {
    throw new Response('That case was not found.', { status: 404 });
  }
  return { ok: true as const };
}

export default function EvaluationSet() {
  const { cases } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  return (
    <div className="page">
      <h1>Evaluation set</h1>
      <p className="lead">
        Cases the coach is checked against: made from reviewed exchanges, or imported from the tenant's scenarios file. Operators
        run them with <span className="mono">rapport eval --tenant &lt;slug&gt; --from-db</span>.
      </p>
      <p>
        <a className="btn btn-small" href="/review/cases.jsonl" download>
          Export as JSON lines
        </a>
      </p>
      {cases.length === 0 ? (
        <p className="empty">No cases yet. Review a shared exchange and choose “Make this an evaluation case”.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Message</th>
                <th scope="col">Expects</th>
                <th scope="col">Source</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.id}>
                  <td className="mono small">{c.caseKey}</td>
                  <td className="small">{c.message.length > 140 ? `${c.message.slice(0, 140)}…` : c.message}</td>
                  <td className="small">
                    {c.expectCheckIn ? 'check-in first; ' : ''}
                    {c.expectDocument ? `cites ${c.expectDocument}` : 'no document'}
                    {c.mustNotContain.length ? `; never “${c.mustNotContain.join('”, “')}”` : ''}
                    {c.referenceReply ? '; has a reference reply' : ''}
                  </td>
                  <td className="small">{c.source === 'review' ? 'review' : 'imported'}</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="delete" />
                      <input type="hidden" name="caseId" value={c.id} />
                      <button type="submit" className="btn btn-danger btn-small" disabled={navigation.state !== 'idle'}>
                        Delete
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
