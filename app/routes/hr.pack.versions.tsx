import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData, useSearchParams } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';
import { handleVersionsAction, loadVersionsPage } from '~/.server/culture/admin';
import type { PackVersionDiff } from '~/.server/culture/diff';
import { ActionAlert } from '~/components/culture/action-alert';
import type { loader as layoutLoader } from './hr.pack';

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'hr_admin');
  const compare = Number(new URL(args.request.url).searchParams.get('compare'));
  return loadVersionsPage(user.tenantId, Number.isInteger(compare) && compare > 0 ? compare : null);
}

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, 'hr_admin');
  return handleVersionsAction(args.request, user);
}

const TONE_LABELS: Record<string, string> = {
  formality: 'Formality',
  warmth: 'Warmth',
  directness: 'Directness',
  wordsToUse: 'Words to use',
  wordsToAvoid: 'Words to avoid',
  addressAs: 'Address as',
};

const show = (value: unknown) => (Array.isArray(value) ? value.join(', ') || '—' : value == null ? '—' : String(value));

function DiffView({ diff }: { diff: PackVersionDiff }) {
  const empty =
    !diff.documentsAdded.length &&
    !diff.documentsRemoved.length &&
    !diff.documentsChanged.length &&
    !diff.toneChanges.length &&
    !diff.normsAdded.length &&
    !diff.normsRemoved.length &&
    !diff.resourcesChanged;
  if (empty) return <p className="muted small">No changes.</p>;
  return (
    <ul className="diff">
      {diff.documentsAdded.map((d) => (
        <li key={`a-${d}`} className="diff-add">
          + document <span className="mono">{d}</span>
        </li>
      ))}
      {diff.documentsRemoved.map((d) => (
        <li key={`r-${d}`} className="diff-remove">
          − document <span className="mono">{d}</span>
        </li>
      ))}
      {diff.documentsChanged.map((d) => (
        <li key={`c-${d}`} className="diff-change">
          ~ document changed <span className="mono">{d}</span>
        </li>
      ))}
      {diff.toneChanges.map((c) => (
        <li key={`t-${c.field}`} className="diff-change">
          ~ tone · {TONE_LABELS[c.field] ?? c.field}: {show(c.from)} → {show(c.to)}
        </li>
      ))}
      {diff.normsAdded.map((n) => (
        <li key={`na-${n.kind}-${n.text}`} className="diff-add">
          + {n.kind === 'do' ? 'do' : 'don’t'}: {n.text}
        </li>
      ))}
      {diff.normsRemoved.map((n) => (
        <li key={`nr-${n.kind}-${n.text}`} className="diff-remove">
          − {n.kind === 'do' ? 'do' : 'don’t'}: {n.text}
        </li>
      ))}
      {diff.resourcesChanged ? <li className="diff-change">~ support resources changed</li> : null}
    </ul>
  );
}

export default function PackVersions() {
  const { versions, compareTo, rollbackDiff } = useLoaderData<typeof loader>();
  const summary = useRouteLoaderData<typeof layoutLoader>('routes/hr.pack');
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const [params] = useSearchParams();
  const confirmingPublish = params.get('confirm') === 'publish';
  const published = Number(params.get('published')) || null;
  const restored = Number(params.get('restored')) || null;
  const nextNumber = (versions[0]?.number ?? 0) + 1;
  return (
    <>
      <ActionAlert result={result} />
      {!result && published ? (
        <div role="status" className="alert alert-ok">
          <p>
            {restored
              ? `Rolled back: version ${published} restores version ${restored}, and the draft now matches it. The coach uses it from the next message.`
              : `Published version ${published}. The coach uses it from the next message.`}
          </p>
        </div>
      ) : null}
      <section className="card">
        <h2>Draft</h2>
        {summary && summary.unpublishedChanges > 0 ? (
          <>
            <p className="muted">Publishing the draft would change:</p>
            <DiffView diff={summary.diff} />
            {confirmingPublish ? (
              <div className="confirm-box" role="group" aria-labelledby="publish-confirm">
                <p id="publish-confirm">
                  <strong>Publish these changes as version {nextNumber}?</strong> Every manager’s coach uses them from their next message. You can roll back later.
                </p>
                <div className="button-row">
                  <Form method="post" action="/hr/pack/versions">
                    <input type="hidden" name="intent" value="publish" />
                    <button className="btn btn-primary" type="submit" disabled={busy}>
                      Yes, publish version {nextNumber}
                    </button>
                  </Form>
                  <Link className="btn" to="/hr/pack/versions" replace>
                    Cancel
                  </Link>
                </div>
              </div>
            ) : null}
            <div className="button-row">
              {confirmingPublish ? null : (
                <Link className="btn btn-primary" to="?confirm=publish">
                  Publish as version {nextNumber}…
                </Link>
              )}
              {versions.length > 0 ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="discard" />
                  <button className="btn btn-danger" type="submit" disabled={busy}>
                    Discard draft changes
                  </button>
                </Form>
              ) : null}
            </div>
          </>
        ) : (
          <p className="muted">The draft matches the published version.</p>
        )}
      </section>

      {compareTo && rollbackDiff ? (
        <section className="card rollback-card" aria-labelledby="rollback-heading">
          <h2 id="rollback-heading">Roll back to version {compareTo}?</h2>
          <p className="muted">
            This publishes a new version with version {compareTo}’s documents, tone, norms and resources, and resets the draft to it
            {summary && summary.unpublishedChanges > 0 ? ' (the unpublished draft changes above are discarded)' : ''}. Compared with what is published now:
          </p>
          <DiffView diff={rollbackDiff} />
          <div className="button-row">
            <Form method="post">
              <input type="hidden" name="intent" value="rollback" />
              <input type="hidden" name="number" value={compareTo} />
              <button className="btn btn-primary" type="submit" disabled={busy}>
                Roll back to version {compareTo}
              </button>
            </Form>
            <Link className="btn" to="/hr/pack/versions">
              Cancel
            </Link>
          </div>
        </section>
      ) : null}

      <section className="card">
        <h2>Version history</h2>
        {versions.length === 0 ? (
          <p className="empty">Nothing published yet.</p>
        ) : (
          <ol className="versions" data-testid="version-list">
            {versions.map((v) => (
              <li key={v.id} className={`version${v.current ? ' version-current' : ''}`}>
                <div className="version-head">
                  <h3>
                    Version {v.number} {v.current ? <span className="badge badge-ok">Published</span> : null}
                    {v.restoredFrom ? <span className="badge">Restores version {v.restoredFrom}</span> : null}
                  </h3>
                  <span className="muted small">
                    {new Date(v.publishedAt).toLocaleString()} · {v.publishedBy ?? 'unknown'} · {v.documentCount} documents · {v.chunkCount} passages
                  </span>
                  {!v.current ? (
                    <Link className="btn btn-small" to={`?compare=${v.number}#rollback-heading`}>
                      Roll back to this version…
                    </Link>
                  ) : null}
                </div>
                <DiffView diff={v.diff} />
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
