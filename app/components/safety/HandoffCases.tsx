// Hand-off cases for HR: who asked to be contacted, how, and only what they chose to share.
import { Form } from '@remix-run/react';
import { formatShortDate } from '~/lib/format';
import { describeContactChoice, type ContactMethod } from '~/lib/handoff-contact';
import { HANDOFF_STATUS_LABELS, HANDOFF_STATUSES, type HandoffStatus } from './handoff-status';

export type HandoffCaseView = {
  id: string;
  /** Monday of the week it was asked ("YYYY-MM-DD"): a week, not a time, like the counts. */
  createdAt: string;
  status: HandoffStatus;
  sharedText: string;
  contactPreference: string;
  contactMethod: ContactMethod;
  contactValue: string;
  email: string;
  displayName: string;
};

export function HandoffCases({ cases, busy }: { cases: HandoffCaseView[]; busy: boolean }) {
  const active = cases.filter((c) => c.status !== 'closed');
  const closed = cases.filter((c) => c.status === 'closed');
  return (
    <section className="card handoff-section" aria-labelledby="handoff-title">
      <h2 id="handoff-title">Hand-off cases</h2>
      <p className="hint">
        People who asked to be contacted by a person. Each case holds only what they chose to share in the consent form — nothing from their
        conversation with the coach. Please reach out soon, and keep it confidential.
      </p>
      {active.length === 0 ? (
        <p className="empty" data-testid="handoff-empty">
          No open hand-off cases.
        </p>
      ) : (
        <ul className="handoff-list" data-testid="handoff-cases">
          {active.map((c) => (
            <HandoffCaseItem key={c.id} item={c} busy={busy} />
          ))}
        </ul>
      )}
      {closed.length > 0 ? (
        <details className="handoff-closed">
          <summary>Closed cases ({closed.length})</summary>
          <ul className="handoff-list">
            {closed.map((c) => (
              <HandoffCaseItem key={c.id} item={c} busy={busy} />
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

function HandoffCaseItem({ item, busy }: { item: HandoffCaseView; busy: boolean }) {
  const headingId = `case-${item.id}`;
  return (
    <li className={`handoff-case handoff-${item.status}`} aria-labelledby={headingId} data-case-id={item.id}>
      <div className="handoff-head">
        <h3 id={headingId}>
          {item.displayName || item.email} <span className={`status-pill status-${item.status}`}>{HANDOFF_STATUS_LABELS[item.status]}</span>
        </h3>
        <span className="muted small">Asked in the week of {formatShortDate(item.createdAt)}</span>
      </div>
      <dl className="handoff-details">
        <div>
          <dt>What they chose to share</dt>
          <dd>{item.sharedText.trim() ? <blockquote className="shared-text">{item.sharedText}</blockquote> : <span className="muted">Nothing beyond asking to be contacted.</span>}</dd>
        </div>
        <div>
          <dt>How to reach them</dt>
          <dd>
            <strong className="contact-method" data-contact-method={item.contactMethod}>
              {item.contactMethod === 'work_email' ? (
                <>
                  By work email: <a href={`mailto:${item.email}`}>{item.email}</a>
                </>
              ) : (
                describeContactChoice(item.contactMethod, item.contactValue, item.email)
              )}
            </strong>
            {item.contactPreference.trim() ? (
              <>
                <br />
                <span className="contact-preference">{item.contactPreference}</span>
              </>
            ) : null}
            {item.contactMethod === 'phone' || item.contactMethod === 'other_email' ? (
              <>
                <br />
                {item.contactMethod === 'phone' ? <a href={`tel:${item.contactValue.replace(/[^\d+]/g, '')}`}>Call {item.contactValue}</a> : null}
                {item.contactMethod === 'other_email' ? <a href={`mailto:${item.contactValue}`}>{item.contactValue}</a> : null}
              </>
            ) : null}
            {/* The work email once: in the chosen method above when that is it, otherwise here. */}
            {item.contactMethod !== 'work_email' ? (
              <>
                <br />
                <span className="muted small">Work email: {item.email}</span>
              </>
            ) : null}
          </dd>
        </div>
      </dl>
      <Form method="post" className="row-form handoff-status-form">
        <input type="hidden" name="intent" value="status" />
        <input type="hidden" name="caseId" value={item.id} />
        <label>
          <span className="visually-hidden">Status of the case from {item.displayName || item.email}</span>
          <select name="status" defaultValue={item.status}>
            {HANDOFF_STATUSES.map((s) => (
              <option key={s} value={s}>
                {HANDOFF_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <button className="btn btn-small" type="submit" disabled={busy}>
          Update status
        </button>
      </Form>
    </li>
  );
}
