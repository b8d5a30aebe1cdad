// Shown, and kept, in a conversation where someone may be in danger: who to call now, and a
// consented hand-off — only what the person writes in the form is shared, nothing else.
import { useFetcher } from '@remix-run/react';
import { useState } from 'react';
import type { ResourcesView } from '~/lib/chat';
import { fillText, supportText, textDirection } from '~/lib/i18n';

type HandoffResult = { ok?: boolean; handoff?: boolean; formError?: string; fieldErrors?: Record<string, string> };

export function ResourcesPanel({ conversationId, resources }: { conversationId: string; resources: ResourcesView }) {
  const fetcher = useFetcher<HandoffResult>();
  const [choice, setChoice] = useState<'undecided' | 'yes' | 'no'>('undecided');
  const sent = fetcher.data?.handoff === true;
  const errors = fetcher.data?.fieldErrors ?? {};
  // In the person's language (the server chose it for the turn); tenant-entered names as entered.
  const t = supportText(resources.language);
  const contact = { contact: resources.supportContactName };
  return (
    <section className="resources-panel" role="region" aria-label={t.regionLabel} lang={resources.language} dir={textDirection(resources.language)}>
      <h2>{t.heading}</h2>
      <p className="small">{t.immediateDanger}</p>
      <ul className="resources-lines">
        {resources.lines.map((line) => (
          <li key={line.label}>
            <strong>{line.label}:</strong> {line.detail}
          </li>
        ))}
      </ul>
      {sent ? (
        <p role="status" className="alert alert-ok">
          {fillText(t.sent, contact)}
        </p>
      ) : choice === 'yes' ? (
        <fetcher.Form method="post" action={`/chat/${conversationId}`} className="handoff-form">
          <input type="hidden" name="intent" value="handoff" />
          <label>
            {fillText(t.shareLabel, contact)}
            <span className="hint">{t.shareHint}</span>
            <textarea name="sharedText" rows={3} maxLength={2000} required aria-invalid={errors.sharedText ? true : undefined} />
            {errors.sharedText ? <span className="field-error">{errors.sharedText}</span> : null}
          </label>
          <label>
            {t.contactHow}
            <input name="contactPreference" maxLength={200} required placeholder={t.contactPlaceholder} aria-invalid={errors.contactPreference ? true : undefined} />
            {errors.contactPreference ? <span className="field-error">{errors.contactPreference}</span> : null}
          </label>
          <div className="row-form">
            <button type="submit" className="btn btn-primary" disabled={fetcher.state !== 'idle'}>
              {t.send}
            </button>
            <button type="button" className="btn" onClick={() => setChoice('undecided')}>
              {t.cancel}
            </button>
          </div>
        </fetcher.Form>
      ) : (
        <div className="consent-choice">
          <p className="small">{fillText(t.consentQuestion, contact)}</p>
          <div className="row-form">
            <button type="button" className="btn btn-primary" onClick={() => setChoice('yes')}>
              {t.consentYes}
            </button>
            <button type="button" className="btn" aria-pressed={choice === 'no'} onClick={() => setChoice('no')}>
              {t.consentNotNow}
            </button>
          </div>
          {choice === 'no' ? <p className="small muted" role="status">{t.notNowAck}</p> : null}
        </div>
      )}
    </section>
  );
}
