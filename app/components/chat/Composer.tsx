// The message box: Enter sends, Shift+Enter adds a line; Stop while the coach is answering.
import { useId, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_MESSAGE_CHARS } from '~/lib/chat';
import { chatText, fillText, type LanguageCode } from '~/lib/i18n';

interface ComposerProps {
  value: string;
  onChange: (value: string) => void;
  onSend: (text: string) => void;
  busy?: boolean;
  streaming?: boolean;
  onStop?: () => void;
  /** The conversation's language (the empty /chat page leaves it at the default). */
  language?: LanguageCode;
}

export function Composer({ value, onChange, onSend, busy = false, streaming = false, onStop, language = 'en' }: ComposerProps) {
  const id = useId();
  const t = chatText(language);
  const length = value.trim().length;
  const tooLong = length > MAX_MESSAGE_CHARS;
  const canSend = !busy && !streaming && length > 0 && !tooLong;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (canSend) onSend(value.trim());
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form className="composer" lang={language} onSubmit={submit}>
      <label htmlFor={`${id}-message`} className="visually-hidden">
        {t.messageLabel}
      </label>
      <textarea
        id={`${id}-message`}
        name="message"
        rows={3}
        value={value}
        placeholder={t.placeholder}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={tooLong || undefined}
        aria-describedby={`${id}-count`}
      />
      <div className="composer-bar">
        <span id={`${id}-count`} className={tooLong ? 'composer-count field-error' : 'composer-count hint'}>
          {tooLong
            ? fillText(t.tooLong, { length: length.toLocaleString('en-US'), max: MAX_MESSAGE_CHARS.toLocaleString('en-US') })
            : (
              <>
                <span className="composer-keys">{`${t.keysHint} · `}</span>
                {`${length.toLocaleString('en-US')}/${MAX_MESSAGE_CHARS.toLocaleString('en-US')}`}
              </>
            )}
        </span>
        {streaming ? (
          <button type="button" className="btn" onClick={onStop}>
            {t.stop}
          </button>
        ) : (
          <button type="submit" className="btn btn-primary" disabled={!canSend}>
            {t.send}
          </button>
        )}
      </div>
    </form>
  );
}
