// Thumbs up / down on an answer, with an optional comment.
import { useFetcher } from '@remix-run/react';
import { useState } from 'react';
import { chatText, type LanguageCode } from '~/lib/i18n';

export function Rating({
  conversationId,
  messageId,
  initial,
  language = 'en',
}: {
  conversationId: string;
  messageId: string;
  initial: -1 | 1 | null;
  language?: LanguageCode;
}) {
  const t = chatText(language);
  const fetcher = useFetcher<{ ok?: boolean }>();
  const [rating, setRating] = useState<-1 | 1 | null>(initial);
  const [commenting, setCommenting] = useState(false);
  const [saved, setSaved] = useState(false);
  const action = `/chat/${conversationId}`;

  const rate = (value: -1 | 1) => {
    setRating(value);
    setCommenting(true);
    setSaved(false);
    fetcher.submit({ intent: 'rate', messageId, rating: String(value) }, { method: 'post', action });
  };

  return (
    <div className="rating" lang={language}>
      <span className="visually-hidden" id={`rate-${messageId}`}>
        {t.ratingQuestion}
      </span>
      <div role="group" aria-labelledby={`rate-${messageId}`} className="rating-buttons">
        <button type="button" className="rating-btn" aria-pressed={rating === 1} aria-label={t.helpful} title={t.helpful} onClick={() => rate(1)}>
          <Thumb />
        </button>
        <button type="button" className="rating-btn" aria-pressed={rating === -1} aria-label={t.notHelpful} title={t.notHelpful} onClick={() => rate(-1)}>
          <Thumb down />
        </button>
      </div>
      {commenting && rating !== null ? (
        <fetcher.Form
          method="post"
          action={action}
          className="rating-comment"
          onSubmit={() => {
            setCommenting(false);
            setSaved(true);
          }}
        >
          <input type="hidden" name="intent" value="rate" />
          <input type="hidden" name="messageId" value={messageId} />
          <input type="hidden" name="rating" value={String(rating)} />
          <label>
            <span className="visually-hidden">{t.commentLabel}</span>
            <input name="comment" maxLength={1000} placeholder={t.commentPlaceholder} />
          </label>
          <button type="submit" className="btn btn-small">
            {t.commentSend}
          </button>
        </fetcher.Form>
      ) : null}
      <span role="status" className="small muted">
        {saved ? t.ratingThanks : rating !== null && !commenting ? t.rated : ''}
      </span>
    </div>
  );
}

/** Drawn, not an emoji: headless and locked-down machines often lack an emoji font. */
function Thumb({ down = false }: { down?: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false" style={down ? { transform: 'rotate(180deg)' } : undefined}>
      <path
        fill="currentColor"
        d="M2 21h4V9H2v12zm20-11c0-1.1-.9-2-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10c0 1.1.9 2 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z"
      />
    </svg>
  );
}
