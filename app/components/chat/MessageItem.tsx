// One message in the conversation. Answers show Markdown, their sources, which model answered,
// what happened if they were cut off, and the rating buttons.
import type { ChatUIMessage } from '~/lib/chat';
import { citationNumber, citationsOf, visibleText } from '~/lib/chat';
import type { ContactPoint } from '~/lib/contact-links';
import { Citations } from './Citations';
import { Markdown } from './Markdown';
import { ShareExchange } from '~/components/review/ShareExchange';
import { Rating } from './Rating';
import { chatText, fillText, type LanguageCode } from '~/lib/i18n';

interface MessageItemProps {
  message: ChatUIMessage;
  conversationId: string;
  /** The tenant's support numbers and sites, linked wherever an answer mentions them. */
  contacts?: ContactPoint[];
  /** This answer is still streaming. */
  streaming: boolean;
  /** The person pressed stop on this answer. */
  stopped: boolean;
  /** Offer retry (the last answer only). */
  onRetry?: () => void;
  /** The conversation's language: the chrome around the answer is written in it. */
  language?: LanguageCode;
}

export function MessageItem({ message, conversationId, contacts, streaming, stopped, onRetry, language = 'en' }: MessageItemProps) {
  const t = chatText(language);
  if (message.role === 'user') {
    return (
      <li className="msg msg-user">
        <span className="visually-hidden" lang={language}>{t.youSaid}</span>
        <div className="msg-bubble">{visibleText(message)}</div>
      </li>
    );
  }
  const citations = citationsOf(message);
  const text = visibleText(message).replace(/\[(P\d+)\]/g, (marker, label: string) => {
    const n = citationNumber(citations, label);
    return n ? `[${n}]` : '';
  });
  const meta = message.metadata ?? {};
  const status = stopped ? 'stopped' : meta.status;
  const replaced = message.parts.some((p) => p.type === 'data-replacement');
  return (
    <li className="msg msg-assistant" aria-busy={streaming || undefined}>
      <span className="visually-hidden" lang={language}>{t.coachSaid}</span>
      <div className="msg-bubble">
        {text ? <Markdown text={text} contacts={contacts} /> : streaming ? <p className="typing" lang={language} aria-label={t.coachWriting}>…</p> : null}
        {replaced ? <p className="small muted" lang={language}>{t.replaced}</p> : null}
        {!streaming ? <Citations citations={citations} language={language} /> : null}
      </div>
      {!streaming ? (
        <div className="msg-footer" lang={language}>
          {meta.modelLabel ? <span className="small muted msg-model">{fillText(t.answeredBy, { model: meta.modelLabel })}</span> : null}
          {meta.notice ? <span className="small muted msg-notice">{meta.notice}</span> : null}
          {status === 'interrupted' || status === 'stopped' ? (
            <span className="small msg-note" role={status === 'interrupted' ? 'status' : undefined}>
              {status === 'stopped' ? t.youStopped : t.cutOff}
              {onRetry ? (
                <>
                  {' — '}
                  <button type="button" className="btn-link" onClick={onRetry}>
                    {t.retry}
                  </button>
                </>
              ) : null}
            </span>
          ) : status === 'streaming' ? (
            <span className="small msg-note">{t.stillWriting}</span>
          ) : null}
          {meta.modelLabel && (meta.status === 'complete' || meta.status === 'interrupted') && !stopped ? (
            <Rating conversationId={conversationId} messageId={message.id} initial={meta.rating ?? null} language={language} />
          ) : null}
          {meta.modelLabel && (meta.status === 'complete' || meta.status === 'interrupted') && !stopped ? <ShareExchange messageId={message.id} language={language} /> : null}
        </div>
      ) : null}
    </li>
  );
}
