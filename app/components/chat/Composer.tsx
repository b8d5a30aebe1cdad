// The message box: Enter sends, Shift+Enter adds a line; Stop while the coach is answering.
import { useId, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_MESSAGE_CHARS } from '~/lib/chat';

interface ComposerProps {
  value: string;
  onChange: (value: string) => void;
  onSend: (text: string) => void;
  busy?: boolean;
  streaming?: boolean;
  onStop?: () => void;
}

export function Composer({ value, onChange, onSend, busy = false, streaming = false, onStop }: ComposerProps) {
  const id = useId();
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
    <form className="composer" onSubmit={submit}>
      <label htmlFor={`${id}-message`} className="visually-hidden">
        Message to your coach
      </label>
      <textarea
        id={`${id}-message`}
        name="message"
        rows={3}
        value={value}
        placeholder="Describe what's going on…"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={tooLong || undefined}
        aria-describedby={`${id}-count`}
      />
      <div className="composer-bar">
        <span id={`${id}-count`} className={tooLong ? 'composer-count field-error' : 'composer-count hint'}>
          {tooLong
            ? `Too long: ${length.toLocaleString('en-US')} of ${MAX_MESSAGE_CHARS.toLocaleString('en-US')} characters`
            : (
              <>
                <span className="composer-keys">Enter to send, Shift+Enter for a new line · </span>
                {`${length.toLocaleString('en-US')}/${MAX_MESSAGE_CHARS.toLocaleString('en-US')}`}
              </>
            )}
        </span>
        {streaming ? (
          <button type="button" className="btn" onClick={onStop}>
            Stop
          </button>
        ) : (
          <button type="submit" className="btn btn-primary" disabled={!canSend}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}
