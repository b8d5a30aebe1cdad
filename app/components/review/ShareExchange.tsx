// "Share this exchange to improve the coach" under an answer. The dialog says exactly what is shared and
// shows the anonymized copy that would be stored before anything is stored.
import { Link, useFetcher, useRouteLoaderData } from '@remix-run/react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { chatText, fillText, type LanguageCode } from '~/lib/i18n';

export interface SharingState {
  available: boolean;
  reason: string | null;
  sharedMessageIds: string[];
}

interface Preview {
  preview?: { userText: string; replyText: string; passages: { label: string; document: string }[]; replaced: number } | null;
  previewError?: string | null;
}

export function ShareExchange({ messageId, language = 'en' }: { messageId: string; language?: LanguageCode }) {
  const t = chatText(language);
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
      <span className="small muted share-state" lang={language}>
        {t.sharedState} · <Link to="/chat/shared">{t.seeOrWithdraw}</Link>
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
        lang={language}
        onClick={() => {
          setOpen(true);
          preview.load(`/chat/shared?preview=${encodeURIComponent(messageId)}`);
        }}
      >
        {t.shareOpen}
      </button>
      <dialog ref={dialog} className="share-dialog" lang={language} aria-labelledby={titleId} onClose={() => setOpen(false)}>
        <h2 id={titleId}>{t.shareTitle}</h2>
        <ul className="share-terms">
          <li>
            <strong>{t.termWhatLabel}</strong> {t.termWhat}
          </li>
          <li>
            <strong>{t.termAnonLabel}</strong> <WithSlot text={t.termAnon} slot="example" fill={<span className="mono">[PERSON_1]</span>} />
          </li>
          <li>
            <strong>{t.termNameLabel}</strong> {t.termName}
          </li>
          <li>
            <strong>{t.termWithdrawLabel}</strong> <WithSlot text={t.termWithdraw} slot="place" fill={<em>{t.sharedState}</em>} />
          </li>
        </ul>
        <section className="share-preview" aria-label={t.previewRegion} aria-busy={preview.state !== 'idle' || undefined}>
          {preview.data?.previewError ? (
            <p className="alert alert-error">{preview.data.previewError}</p>
          ) : copy ? (
            <>
              <p className="small muted">
                {copy.replaced
                  ? fillText(copy.replaced === 1 ? t.previewExactOne : t.previewExactMany, { count: String(copy.replaced) })
                  : t.previewExact}
              </p>
              <p className="share-label">{t.yourMessage}</p>
              <blockquote>{copy.userText}</blockquote>
              <p className="share-label">{t.theAnswer}</p>
              <blockquote>{copy.replyText}</blockquote>
              {copy.passages.length ? (
                <p className="small muted">
                  {fillText(t.passages, { list: copy.passages.map((p) => p.document).filter((d, i, all) => all.indexOf(d) === i).join(', ') })}
                </p>
              ) : null}
            </>
          ) : (
            <p className="small muted">{t.preparing}</p>
          )}
        </section>
        {share.data?.formError ? <p className="alert alert-error">{share.data.formError}</p> : null}
        {share.data?.ok ? (
          <p className="alert alert-ok" role="status">
            <WithSlot text={t.sharedThanks} slot="place" fill={<Link to="/chat/shared">{t.sharedState}</Link>} />
          </p>
        ) : null}
        <div className="share-actions">
          {share.data?.ok ? (
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              {t.close}
            </button>
          ) : (
            <>
              <button type="button" className="btn" onClick={() => setOpen(false)}>
                {t.cancel}
              </button>
              <button
                type="button"
                className="btn btn-primary"
                disabled={!copy || share.state !== 'idle'}
                onClick={() => share.submit({ intent: 'share', messageId }, { method: 'post', action: '/chat/shared' })}
              >
                {share.state !== 'idle' ? t.sharing : t.shareConfirm}
              </button>
            </>
          )}
        </div>
      </dialog>
    </>
  );
}

/** A translated sentence with one element (a link, an emphasised name) in place of `{slot}`. */
function WithSlot({ text, slot, fill }: { text: string; slot: string; fill: ReactNode }) {
  const marker = `{${slot}}`;
  const at = text.indexOf(marker);
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      {fill}
      {text.slice(at + marker.length)}
    </>
  );
}
