// Shown, and kept, in a conversation where someone may be in danger: who to call now (numbers
// are tap-to-call and tap-to-text links, the emergency number first), and a consented hand-off
// that says exactly what is shared: the person's name and email, the way they choose to be
// reached, and what they write — nothing else from the conversation.
import { useFetcher } from '@remix-run/react';
import { useState } from 'react';
import type { ResourcesView } from '~/lib/chat';
import { linkContacts, type ContactPoint } from '~/lib/contact-links';

type HandoffResult = { ok?: boolean; handoff?: boolean; formError?: string; fieldErrors?: Record<string, string> };

export interface ResourcesPanelProps {
  conversationId: string;
  resources: ResourcesView;
  /** The tenant's numbers, addresses and sites for this person's country (contact-links.ts). */
  contacts?: ContactPoint[];
  /** Who is asking: shown in the consent form because it is shared with the support contact. */
  person?: { name: string; email: string };
  /** Visible words of the sms: link beside a number that takes texts. */
  smsLabel?: string;
}

/** The text of a resource line with its numbers, sites and addresses as links. */
export function LinkedText({ text, contacts, smsLabel = 'Text' }: { text: string; contacts: ContactPoint[]; smsLabel?: string }) {
  return (
    <>
      {linkContacts(text, contacts).map((segment, i) => {
        const point = segment.point;
        if (!point) return <span key={i}>{segment.text}</span>;
        if (point.kind === 'web') {
          return (
            <a key={i} className="contact-link" href={point.href} target="_blank" rel="noopener noreferrer">
              {point.text}
            </a>
          );
        }
        return (
          <span key={i} className="contact-links">
            <a className="contact-link" href={point.href}>
              {point.text}
            </a>
            {point.sms ? (
              <a className="contact-link" href={point.sms}>
                {smsLabel} {point.text}
              </a>
            ) : null}
          </span>
        );
      })}
    </>
  );
}

type Method = 'email' | 'phone' | 'other';

export function ResourcesPanel({ conversationId, resources, contacts = [], person, smsLabel }: ResourcesPanelProps) {
  const fetcher = useFetcher<HandoffResult>();
  const [choice, setChoice] = useState<'undecided' | 'yes' | 'no'>('undecided');
  const [method, setMethod] = useState<Method>('email');
  const sent = fetcher.data?.handoff === true;
  const errors = fetcher.data?.fieldErrors ?? {};
  const support = resources.supportContactName;
  return (
    <section className="resources-panel" role="region" aria-label="Support resources">
      <h2>Support is here for you</h2>
      <p className="small">If anyone is in immediate danger, call the emergency number now.</p>
      <ul className="resources-lines">
        {resources.lines.map((line) => (
          <li key={line.label}>
            <strong>{line.label}:</strong> <LinkedText text={line.detail} contacts={contacts} smsLabel={smsLabel} />
          </li>
        ))}
      </ul>
      {sent ? (
        <p role="status" className="alert alert-ok">
          Thank you. {support} will get in touch with you. They received your name and email, how you'd like to be contacted and what you wrote —
          nothing else from this conversation.
        </p>
      ) : choice === 'yes' ? (
        <fetcher.Form method="post" action={`/chat/${conversationId}`} className="handoff-form">
          <input type="hidden" name="intent" value="handoff" />
          <div className="handoff-shared" id="handoff-shared">
            <p className="small">
              <strong>What {support} will see:</strong> your name and email address, so someone can reach you
              {person ? (
                <>
                  {' '}
                  (<span data-testid="handoff-identity">
                    {person.name ? `${person.name}, ` : ''}
                    {person.email}
                  </span>
                  )
                </>
              ) : null}
              ; the way you choose below to be contacted; and what you write here. Nothing else from this conversation is shared.
            </p>
          </div>
          <fieldset className="handoff-method" aria-describedby="handoff-shared">
            <legend>How should they contact you?</legend>
            <label className="choice">
              <input type="radio" name="contactMethod" value="email" checked={method === 'email'} onChange={() => setMethod('email')} />
              By email{person ? ` (${person.email})` : ''}
            </label>
            <label className="choice">
              <input type="radio" name="contactMethod" value="phone" checked={method === 'phone'} onChange={() => setMethod('phone')} />
              By phone
            </label>
            <label className="choice">
              <input type="radio" name="contactMethod" value="other" checked={method === 'other'} onChange={() => setMethod('other')} />
              Another way
            </label>
            {method !== 'email' ? (
              <label>
                {method === 'phone' ? 'Your phone number, and when to call' : 'How and when to reach you'}
                <input
                  name="contactDetail"
                  maxLength={200}
                  required
                  autoComplete={method === 'phone' ? 'tel' : 'off'}
                  inputMode={method === 'phone' ? 'tel' : undefined}
                  placeholder={method === 'phone' ? 'e.g. 555-0100, after 5pm' : 'e.g. contact me at work only, in person'}
                  aria-invalid={errors.contactDetail ? true : undefined}
                />
                {errors.contactDetail ? <span className="field-error">{errors.contactDetail}</span> : null}
              </label>
            ) : null}
          </fieldset>
          <label>
            What would you like to share with {support}? <span className="hint">(optional)</span>
            <textarea name="sharedText" rows={3} maxLength={2000} aria-invalid={errors.sharedText ? true : undefined} />
            {errors.sharedText ? <span className="field-error">{errors.sharedText}</span> : null}
          </label>
          {fetcher.data?.formError ? <p className="field-error">{fetcher.data.formError}</p> : null}
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
          <p className="small">Would you like someone from {support} to contact you? It only happens if you choose it.</p>
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
