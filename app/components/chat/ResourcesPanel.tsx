// Shown, and kept, in a conversation where someone may be in danger: who to call now (numbers
// are tap-to-call and tap-to-text links with large targets, the emergency number first), and a
// consented hand-off that says exactly what is shared (name and work email, so someone can reach
// the person, and what they write) and lets them choose how to be reached.
import { useFetcher } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import type { ResourcesView } from '~/lib/chat';
import { linkContacts, type ContactPoint } from '~/lib/contact-links';
import type { ContactMethod } from '~/lib/handoff-contact';
import { fillText, supportText, textDirection } from '~/lib/i18n';

type HandoffResult = { ok?: boolean; handoff?: boolean; formError?: string; fieldErrors?: Record<string, string> };

/** The text of a resource line with the tenant's numbers, sites and addresses as links. */
export function LinkedText({ text, contacts, smsLabel = 'SMS' }: { text: string; contacts: ContactPoint[]; smsLabel?: string }) {
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
              <a className="contact-link" href={point.sms} aria-label={`${smsLabel} ${point.text}`}>
                {smsLabel} {point.text}
              </a>
            ) : null}
          </span>
        );
      })}
    </>
  );
}

export type HandoffChoice = 'undecided' | 'yes' | 'no';

interface ResourcesPanelProps {
  conversationId: string;
  resources: ResourcesView;
  contacts?: ContactPoint[];
  /** The hand-off choice, shared with the offer under the latest answer (HandoffOffer). */
  choice: HandoffChoice;
  onChoice: (choice: HandoffChoice) => void;
  /** Changes when the offer under the answer asked for the form: the panel scrolls to it. */
  formRequest?: number;
  /** A hand-off was already asked for from this conversation (before a reload): say so, do not offer it again. */
  alreadyRequested?: boolean;
}

export function ResourcesPanel({ conversationId, resources, contacts = [], choice, onChoice: setChoice, formRequest = 0, alreadyRequested = false }: ResourcesPanelProps) {
  const fetcher = useFetcher<HandoffResult>();
  const [method, setMethod] = useState<ContactMethod>('work_email');
  const sent = fetcher.data?.handoff === true || alreadyRequested;
  const errors = fetcher.data?.fieldErrors ?? {};
  // In the person's language (the server chose it for the turn); tenant-entered names as entered.
  const t = supportText(resources.language);
  const contact = { contact: resources.supportContactName };
  // Server field errors for the contact choice are codes, shown in the person's language.
  const errorText = (code: string) => (code === 'errPhone' ? t.errPhone : code === 'errEmail' ? t.errEmail : code);
  const panelRef = useRef<HTMLElement>(null);
  const barShown = usePassedAbove(panelRef);
  const showPanel = () => {
    panelRef.current?.scrollIntoView({ block: 'start' });
    panelRef.current?.querySelector<HTMLElement>('h2')?.focus();
  };
  // "Yes" under the answer opens the form here, where the person sees what is shared: bring it into view.
  useEffect(() => {
    if (formRequest === 0) return;
    const field = panelRef.current?.querySelector<HTMLElement>('.handoff-form textarea');
    field?.scrollIntoView({ block: 'center' });
    field?.focus();
  }, [formRequest]);
  return (
    <>
      {/* The panel scrolls with the conversation (kept in view it covered most of the answer). Once it has scrolled
          out of view, a one-line bar keeps the emergency number and the crisis line one tap away. */}
      <div className="resources-bar-anchor" hidden={!barShown}>
        <div className="resources-bar" lang={resources.language} dir={textDirection(resources.language)}>
          {barContacts(resources, contacts).map((point) => (
            <a key={point.href} className="contact-link" href={point.href}>
              {point.text}
            </a>
          ))}
          <button type="button" className="btn" onClick={showPanel}>
            {t.showAll}
          </button>
        </div>
      </div>
    <section ref={panelRef} className="resources-panel" role="region" aria-label={t.regionLabel} lang={resources.language} dir={textDirection(resources.language)}>
      <h2 tabIndex={-1}>{t.heading}</h2>
      <p className="small">{t.immediateDanger}</p>
      <ul className="resources-lines">
        {resources.lines.map((line) => (
          <li key={line.label}>
            <strong>{line.label}:</strong> <LinkedText text={line.detail} contacts={contacts} />
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
          <p className="handoff-shared" id="handoff-shared">
            {fillText(t.shareHint, contact)}
          </p>
          <label>
            {fillText(t.shareLabel, contact)}
            <textarea name="sharedText" rows={3} maxLength={2000} required aria-describedby="handoff-shared" aria-invalid={errors.sharedText ? true : undefined} />
            {errors.sharedText ? <span className="field-error">{errors.sharedText}</span> : null}
          </label>
          <fieldset className="handoff-method">
            <legend>{t.contactHow}</legend>
            {(
              [
                ['work_email', t.methodWorkEmail],
                ['phone', t.methodPhone],
                ['other_email', t.methodOtherEmail],
                ['via_manager_hr', t.methodViaManager],
              ] as const
            ).map(([value, label]) => (
              <label key={value} className="choice">
                <input type="radio" name="contactMethod" value={value} checked={method === value} onChange={() => setMethod(value)} />
                {label}
              </label>
            ))}
            {method === 'phone' || method === 'other_email' ? (
              <label>
                {method === 'phone' ? t.phoneLabel : t.otherEmailLabel}
                <input
                  key={method}
                  name="contactValue"
                  type={method === 'phone' ? 'tel' : 'email'}
                  autoComplete={method === 'phone' ? 'tel' : 'email'}
                  inputMode={method === 'phone' ? 'tel' : 'email'}
                  maxLength={200}
                  required
                  aria-invalid={errors.contactValue ? true : undefined}
                />
                {errors.contactValue ? <span className="field-error">{errorText(errors.contactValue)}</span> : null}
              </label>
            ) : null}
          </fieldset>
          <label>
            {t.contactNoteLabel}
            <input name="contactPreference" maxLength={200} placeholder={t.contactPlaceholder} aria-invalid={errors.contactPreference ? true : undefined} />
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
    </>
  );
}

/**
 * The offer of a person, under the latest answer: the answer ends "If you'd like, I can ask … to get in touch",
 * and the panel that holds the choice has usually scrolled out of view by then. The same choice as the panel's.
 */
export function HandoffOffer({
  resources,
  choice,
  declinedHere = false,
  onYes,
  onNotNow,
}: {
  resources: ResourcesView;
  choice: HandoffChoice;
  /** "Not now" was pressed here: say it was heard, where it was pressed. */
  declinedHere?: boolean;
  onYes: () => void;
  onNotNow: () => void;
}) {
  const t = supportText(resources.language);
  if (choice === 'no' && declinedHere) {
    return (
      <p className="handoff-offer small muted" lang={resources.language} dir={textDirection(resources.language)}>
        {t.notNowAck}
      </p>
    );
  }
  if (choice !== 'undecided') return null;
  return (
    <div className="handoff-offer" role="group" aria-label={fillText(t.consentQuestion, { contact: resources.supportContactName })} lang={resources.language} dir={textDirection(resources.language)}>
      <p className="small">{fillText(t.consentQuestion, { contact: resources.supportContactName })}</p>
      <div className="row-form">
        <button type="button" className="btn btn-primary" onClick={onYes}>
          {t.consentYes}
        </button>
        <button type="button" className="btn" onClick={onNotNow}>
          {t.consentNotNow}
        </button>
      </div>
    </div>
  );
}

/** The numbers of the first resource lines (the emergency number, then the crisis line): at most two, to fit one line. */
function barContacts(resources: ResourcesView, contacts: ContactPoint[]): ContactPoint[] {
  const points: ContactPoint[] = [];
  for (const line of resources.lines) {
    const phone = linkContacts(line.detail, contacts).find((segment) => segment.point?.kind === 'phone')?.point;
    if (phone && !points.some((p) => p.href === phone.href)) points.push(phone);
    if (points.length === 2) break;
  }
  return points;
}

const BAR_ROOM = 72;

/** True once the element has scrolled up out of the viewport (false while it is in view or below it). */
function usePassedAbove(ref: React.RefObject<HTMLElement | null>): boolean {
  const [passed, setPassed] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof IntersectionObserver === 'undefined') return;
    // The top BAR_ROOM px count as out of view: the bar shows once what is left of the panel would sit under it.
    const observer = new IntersectionObserver(([entry]) => setPassed(!entry.isIntersecting && entry.boundingClientRect.bottom <= BAR_ROOM), {
      rootMargin: `-${BAR_ROOM}px 0px 0px 0px`,
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return passed;
}
