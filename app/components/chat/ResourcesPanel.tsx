// Shown, and kept, in a conversation where someone may be in danger: who to call now, and a
// consented hand-off — only what the person writes in the form is shared, nothing else.
import { useFetcher } from '@remix-run/react';
import { useState } from 'react';
import type { ResourcesView } from '~/lib/chat';

type HandoffResult = { ok?: boolean; handoff?: boolean; formError?: string; fieldErrors?: Record<string, string> };

export function ResourcesPanel({ conversationId, resources }: { conversationId: string; resources: ResourcesView }) {
  const fetcher = useFetcher<HandoffResult>();
  const [choice, setChoice] = useState<'undecided' | 'yes' | 'no'>('undecided');
  const sent = fetcher.data?.handoff === true;
  const errors = fetcher.data?.fieldErrors ?? {};
  return (
    <section className="resources-panel" role="region" aria-label="Support resources">
      <h2>Support is here for you</h2>
      <p className="small">If anyone is in immediate danger, call the emergency number now.</p>
      <ul className="resources-lines">
        {resources.lines.map((line) => (
          <li key={line.label}>
            <strong>{line.label}:</strong> {line.detail}
          </li>
        ))}
      </ul>
      {sent ? (
        <p role="status" className="alert alert-ok">
          Thank you. {resources.supportContactName} will get in touch with you. Only what you wrote in the form was shared.
        </p>
      ) : choice === 'yes' ? (
        <fetcher.Form method="post" action={`/chat/${conversationId}`} className="handoff-form">
          <input type="hidden" name="intent" value="handoff" />
          <label>
            What would you like to share with {resources.supportContactName}?
            <span className="hint">Only what you write here is sent — nothing else from this conversation.</span>
            <textarea name="sharedText" rows={3} maxLength={2000} required aria-invalid={errors.sharedText ? true : undefined} />
            {errors.sharedText ? <span className="field-error">{errors.sharedText}</span> : null}
          </label>
          <label>
            How should they reach you?
            <input name="contactPreference" maxLength={200} required placeholder="e.g. call me on 555-0100 after 5pm" aria-invalid={errors.contactPreference ? true : undefined} />
            {errors.contactPreference ? <span className="field-error">{errors.contactPreference}</span> : null}
          </label>
          <div className="row-form">
            <button type="submit" className="btn btn-primary" disabled={fetcher.state !== 'idle'}>
              Send request
            </button>
            <button type="button" className="btn" onClick={() => setChoice('undecided')}>
              Cancel
            </button>
          </div>
        </fetcher.Form>
      ) : (
        <div className="consent-choice">
          <p className="small">Would you like someone from {resources.supportContactName} to contact you? It only happens if you choose it.</p>
          <div className="row-form">
            <button type="button" className="btn btn-primary" onClick={() => setChoice('yes')}>
              Yes, ask someone to contact me
            </button>
            <button type="button" className="btn" aria-pressed={choice === 'no'} onClick={() => setChoice('no')}>
              Not now
            </button>
          </div>
          {choice === 'no' ? <p className="small muted" role="status">That's okay. This panel stays here if you change your mind.</p> : null}
        </div>
      )}
    </section>
  );
}
