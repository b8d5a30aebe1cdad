// "Share this exchange to improve the coach" under an answer. The dialog says exactly what is shared and
// shows the anonymized copy that would be stored before anything is stored.
import { Link, useFetcher, useRouteLoaderData } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';

export interface SharingState {
  available: boolean;
  reason: string | null;
  sharedMessageIds: string[];
}

interface Preview {
  preview?: { userText: string; replyText: string; passages: { label: string; document: string }[]; replaced: number } | null;
  previewError?: string | null;
}

export function ShareExchange({ messageId }: { messageId: string }) {
  const layout = useRouteLoaderData<{ sharing?: SharingState }>('routes/chat');
  const sharing = layout?.sharing;
  const dialog = useRef<HTMLDialogElement>(null);
  const preview = useFetcher<Preview>();
  const share = useFetcher<{ ok?: boolean; formError?: string }>();
  const [open, setOpen] = useState(false);
  const shared = sharing?.sharedMessageIds.includes(messageId) || share.data?.ok === true;

  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);

  if (!sharing?.available) return null;
  if (shared && !open) {
    return (
      <span className="small muted share-state">
        Shared for review · <Link to="/chat/shared">see or withdraw</Link>
      </span>
    );
  }

  const titleId = `share-title-${messageId}`;
  const copy = preview.data?.preview;
  return (
    <>
      <button
        type="button"
        className="btn-link small share-open"
        onClick={() => {
          setOpen(true);
          preview.load(`/chat/shared?preview=${encodeURIComponent(messageId)}`);
        }}
      >
        Share this exchange to improve the coach
      </button>
      <dialog ref={dialog} className="share-dialog" aria-labelledby={titleId} onClose={() => setOpen(false)}>
        <h2 id={titleId}>Share this exchange to improve the coach?</h2>
        <ul className="share-terms">
          <li>
            <strong>What is shared:</strong> this exchange only — your message, this answer and the policy passages it used.
            Nothing else from your conversations.
          </li>
          <li>
            <strong>Anonymized first:</strong> names, emails, phone numbers, employee and badge ids, addresses and store numbers
            are replaced (for example <span className="mono">[PERSON_1]</span>) before the copy is stored.
          </li>
          <li>
            <strong>Never your name:</strong> reviewers see the copy, not who shared it. Your employer's admins do not see it.
          </li>
          <li>
            <strong>Yours to withdraw:</strong> you can see and delete it any time under <em>Shared for review</em>.
          </li>
        </ul>
        <section className="share-preview" aria-label="The copy that would be stored" aria-busy={preview.state !== 'idle' || undefined}>
          {preview.data?.previewError ? (
            <p className="alert alert-error">{preview.data.previewError}</p>
          ) : copy ? (
            <>
              <p className="small muted">
                Exactly what would be stored{copy.replaced ? ` (${copy.replaced} detail${copy.replaced === 1 ? '' : 's'} replaced)` : ''}:
              </p>
              <p className="share-label">Your message</p>
              <blockquote>{copy.userText}</blockquote>
              <p className="share-label">The answer</p>
              <blockquote>{copy.replyText}</blockquote>
              {copy.passages.length ? (
                <p className="small muted">Passages: {copy.passages.map((p) => p.document).filter((d, i, all) => all.indexOf(d) === i).join(', ')}</p>
              ) : null}
            </>
          ) : (
            <p className="small muted">Preparing the anonymized copy…</p>
          )}
        </section>
        {share.data?.formError ? <p className="alert alert-error">{share.data.formError}</p> : null}
        {share.data?.ok ? (
          <p className="alert alert-ok" role="status">
            Shared. Thank you — you can withdraw it any time in <Link to="/chat/shared">Shared for review</Link>.
          </p>
        ) : null}
        <div className="share-actions">
          {share.data?.ok ? (
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              Close
            </button>
          ) : (
            <>
              <button type="button" className="btn" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button
                type="button"
                className="btn btn-primary"
                disabled={!copy || share.state !== 'idle'}
                onClick={() => share.submit({ intent: 'share', messageId }, { method: 'post', action: '/chat/shared' })}
              >
                {share.state !== 'idle' ? 'Sharing…' : 'Share anonymized copy'}
              </button>
            </>
          )}
        </div>
      </dialog>
    </>
  );
}
