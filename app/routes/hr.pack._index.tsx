import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react';
import { useCallback, useEffect, useRef } from 'react';
import { requireRole } from '~/.server/auth/guards';
import { handleDocumentsAction, loadDocumentsPage } from '~/.server/culture/admin';
import { warmIngestion } from '~/.server/culture/ingest';
import { ActionAlert } from '~/components/culture/action-alert';
import { Uploader } from '~/components/culture/uploader';

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'hr_admin');
  // Someone about to upload: load the splitter and tokenizer now rather than mid-upload.
  void warmIngestion();
  return loadDocumentsPage(user.tenantId);
}

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, 'hr_admin');
  return handleDocumentsAction(args.request, user);
}

const RULE_LABELS: Record<string, string> = {
  ignore_previous_instructions: 'tries to override instructions',
  role_reassignment: 'tries to change the assistant’s role',
  assistant_directive: 'gives orders to the assistant',
  chat_role_marker: 'imitates a chat role marker',
  conceal_from_user: 'asks to hide something from the user',
  prompt_extraction: 'asks for the system prompt',
  hidden_text: 'hidden text',
  invisible_characters: 'invisible characters',
  html_comment: 'HTML comment',
  hidden_style: 'hidden styling',
  remote_image_with_query: 'remote image with a query string',
  exfiltration_link: 'link that could leak data',
  exfiltration_request: 'asks to send data out',
  personal_email: 'personal email address',
  national_id: 'national ID number',
  phone_number: 'personal phone number',
};

function formatSize(bytes: number) {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export default function PackDocuments() {
  const { documents, failedUploads, linted } = useLoaderData<typeof loader>();
  const processing = documents.filter((d) => d.status !== 'ready').length;
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const revalidator = useRevalidator();
  // A file that settles while the page is already reloading its data must still be reflected
  // (a failed one leaves the draft's table): reload once more when the current one is done.
  const pending = useRef(false);
  const refresh = useCallback(() => {
    if (revalidator.state === 'idle') revalidator.revalidate();
    else pending.current = true;
  }, [revalidator]);
  useEffect(() => {
    if (revalidator.state === 'idle' && pending.current) {
      pending.current = false;
      revalidator.revalidate();
    }
  }, [revalidator]);
  return (
    <>
      <ActionAlert result={result} />
      <section className="card">
        <h2>Upload documents</h2>
        <p className="muted">Policies, guides and handbooks the coach should follow. New uploads go into the draft; the coach sees them once you publish.</p>
        <Uploader onSettled={refresh} failures={failedUploads} />
      </section>

      <section className="card">
        {/* Every row below is counted: a document still being indexed is in the list, and said to be. */}
        <h2 data-testid="document-count">
          Documents in the draft ({documents.length}
          {processing > 0 ? `, ${processing} still processing` : ''})
        </h2>
        {documents.length === 0 ? (
          <p className="empty">No documents yet. Upload your first policy above.</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="document-table">
              <thead>
                <tr>
                  <th scope="col">Document</th>
                  <th scope="col">Type</th>
                  <th scope="col">Size</th>
                  <th scope="col">Passages</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {documents.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <div className="doc-title">{d.title || d.name}</div>
                      <div className="muted small mono">{d.name}</div>
                    </td>
                    <td>{d.format ? d.format.toUpperCase() : '—'}</td>
                    <td className="nowrap">{formatSize(d.sizeBytes)}</td>
                    <td>{d.status === 'ready' ? d.chunkCount : '—'}</td>
                    <td>
                      {d.status === 'ready' ? (
                        <span className="badge badge-ok">Ready</span>
                      ) : (
                        <span className="badge">
                          {d.status === 'uploaded' ? 'received' : d.status} · {d.progress}%
                        </span>
                      )}
                    </td>
                    <td>
                      <Form method="post">
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="id" value={d.id} />
                        <button className="btn btn-small btn-danger" type="submit" disabled={busy} aria-label={`Remove ${d.name}`}>
                          Remove
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card">
        <h2>Lint findings ({linted.length})</h2>
        <p className="muted">
          Passages that look like instructions to an AI, hidden text, or personal data. Instruction-like passages are only ever quoted to the coach as data, never
          followed; exclude a passage to keep it out of the coach’s reach entirely.
        </p>
        {linted.length === 0 ? (
          <p className="empty">Nothing flagged.</p>
        ) : (
          <ul className="lint-list">
            {linted.map((chunk) => (
              <li key={chunk.id} className={`lint-item${chunk.excluded ? ' lint-excluded' : ''}`} data-testid="lint-item">
                <div className="lint-head">
                  <div>
                    <strong>{chunk.documentTitle}</strong>
                    {chunk.headingPath.length > 0 ? <span className="muted"> › {chunk.headingPath.join(' › ')}</span> : null}
                    <div className="lint-tags">
                      {[...new Map(chunk.lint.map((f) => [f.rule, f])).values()].map((f) => (
                        <span key={f.rule} className={`badge ${f.kind === 'instruction' ? 'badge-error' : 'badge-warn'}`}>
                          {RULE_LABELS[f.rule] ?? f.rule}
                        </span>
                      ))}
                      {chunk.excluded ? <span className="badge">Excluded</span> : null}
                    </div>
                  </div>
                  <Form method="post">
                    <input type="hidden" name="intent" value={chunk.excluded ? 'include' : 'exclude'} />
                    <input type="hidden" name="id" value={chunk.id} />
                    <button className="btn btn-small" type="submit" disabled={busy}>
                      {chunk.excluded ? 'Include again' : 'Exclude'}
                    </button>
                  </Form>
                </div>
                <ul className="lint-excerpts">
                  {chunk.lint.map((f, i) => (
                    <li key={i} className="mono small">
                      {f.excerpt}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
