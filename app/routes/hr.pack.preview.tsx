import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useNavigation } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';
import { previewQuestion } from '~/.server/culture/admin';

export async function loader(args: LoaderFunctionArgs) {
  requireRole(args, 'hr_admin');
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, 'hr_admin');
  return previewQuestion(args.request, user);
}

export default function PackPreview() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const error = result && !result.ok ? (result.fieldErrors.question ?? result.formError) : null;
  return (
    <>
      <section className="card">
        <h2>Preview against the draft</h2>
        <p className="muted">Ask what a manager might ask. You see the passages the coach would be given from the draft, before you publish it.</p>
        <Form method="post" className="preview-form" noValidate>
          <label>
            Question
            <textarea name="question" rows={2} required defaultValue={result?.ok ? result.question : ''} aria-invalid={!!error || undefined} />
            {error ? <span className="field-error">{error}</span> : null}
          </label>
          <div>
            <button className="btn btn-primary" type="submit" disabled={busy}>
              {busy ? 'Searching…' : 'Show passages'}
            </button>
          </div>
        </Form>
      </section>
      {result?.ok ? (
        <section className="card" aria-live="polite">
          <h2>
            {result.passages.length} passage{result.passages.length === 1 ? '' : 's'} would be retrieved
          </h2>
          <p className="muted small">Hybrid search (meaning + keywords) over the draft · embeddings: {result.embeddingModel}</p>
          {result.passages.length === 0 ? (
            <p className="empty">Nothing in the draft matches. Upload a document that answers this question.</p>
          ) : (
            <ol className="passages" data-testid="preview-passages">
              {result.passages.map((p) => (
                <li key={p.chunkId} className="passage">
                  <div className="passage-head">
                    <strong>{p.document}</strong>
                    {p.headingPath.length > 0 ? <span className="muted"> › {p.headingPath.join(' › ')}</span> : null}
                    <span className="muted small mono passage-score">score {p.score.toFixed(4)}</span>
                    {p.excludedFromAnswers ? (
                      <span className="badge badge-error">Excluded from answers</span>
                    ) : p.flagged ? (
                      <span className="badge badge-error">Flagged: quoted as data only</span>
                    ) : null}
                  </div>
                  {p.excludedFromAnswers ? (
                    <p className="alert alert-error small" role="note">
                      The coach never uses or cites this passage: a line in it reads like an instruction to the coach. Reword that line in the
                      document and upload it again.
                    </p>
                  ) : null}
                  <p className="passage-text">{p.text}</p>
                  <p className="muted small mono">{p.documentName}</p>
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}
    </>
  );
}
