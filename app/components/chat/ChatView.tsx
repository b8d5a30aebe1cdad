// The conversation: useChat over the AI SDK UI message stream from /api/chat, token by token,
// with stop and retry. The person's text is never lost: a failed send keeps the message on
// screen with a retry, and a refused one goes back into the message box.
import { useChat } from '@ai-sdk/react';
import { useRevalidator } from '@remix-run/react';
import { DefaultChatTransport } from 'ai';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ChatUIMessage, ResourcesView } from '~/lib/chat';
import { visibleText } from '~/lib/chat';
import { chatText, isSupportedLanguage, type LanguageCode } from '~/lib/i18n';
import type { ContactPoint } from '~/lib/contact-links';
import { Composer } from './Composer';
import { MessageItem } from './MessageItem';
import { HandoffOffer, ResourcesPanel, type HandoffChoice } from './ResourcesPanel';

interface ChatViewProps {
  conversationId: string;
  title: string;
  initialMessages: ChatUIMessage[];
  initialSafetyLevel: string;
  /** The person already asked for a hand-off from this conversation: it is not offered again. */
  handoffRequested?: boolean;
  resources: ResourcesView;
  contacts?: ContactPoint[];
  /** The first message, typed on the empty page before this conversation existed. */
  pendingText: string | null;
}

/** Statuses where the request never became a turn: the text goes back into the box to edit. */
const REFUSED_STATUSES = new Set([400, 401, 404, 413]);

export function ChatView({ conversationId, title, initialMessages, initialSafetyLevel, handoffRequested = false, resources, contacts = [], pendingText }: ChatViewProps) {
  const revalidator = useRevalidator();
  const [draft, setDraft] = useState('');
  const [notice, setNotice] = useState<{ text: string; retry: boolean; signIn?: boolean } | null>(null);
  const [stoppedIds, setStoppedIds] = useState<Set<string>>(new Set());
  const [handoffChoice, setHandoffChoice] = useState<HandoffChoice>('undecided');
  const [handoffFormRequest, setHandoffFormRequest] = useState(0);
  /** "Not now" pressed under the answer: acknowledged there, until the next message. */
  const [offerDeclinedHere, setOfferDeclinedHere] = useState(false);
  const lastStatus = useRef<number>(200);
  const lastSent = useRef('');
  const viewRef = useRef<HTMLDivElement>(null);
  /** Whether the page follows the end of the conversation (the person has not scrolled up). */
  const pinned = useRef(true);
  const followAfterRevalidation = useRef(false);

  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatUIMessage>({
        api: '/api/chat',
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          lastStatus.current = response.status;
          if (response.status === 401) {
            // Signed out (the session ended): the API says so in JSON; show its message.
            const body = (await response.json().catch(() => null)) as { error?: string } | null;
            return new Response(body?.error ?? 'You have been signed out. Sign in again to send this message.', { status: 401 });
          }
          return response;
        },
        prepareSendMessagesRequest: ({ messages, trigger }) => {
          const lastUser = [...messages].reverse().find((m) => m.role === 'user');
          return { body: { conversationId, text: lastUser ? visibleText(lastUser) : '', trigger } };
        },
      }),
    [conversationId],
  );

  const { messages, sendMessage, regenerate, stop, status, clearError, setMessages } = useChat<ChatUIMessage>({
    id: conversationId,
    messages: initialMessages,
    transport,
    // After a failed turn the server may be gone: revalidating would replace the page with an error.
    onFinish: ({ isError, isDisconnect }) => {
      if (!isError && !isDisconnect) {
        followAfterRevalidation.current = pinned.current;
        revalidator.revalidate();
      }
    },
    onError: (error) => {
      if (REFUSED_STATUSES.has(lastStatus.current)) {
        // Never stored: put the text back so it can be edited and sent again.
        setMessages((current) => (current.at(-1)?.role === 'user' ? current.slice(0, -1) : current));
        setDraft(lastSent.current);
        setNotice({ text: error.message || 'That message could not be sent.', retry: false, signIn: lastStatus.current === 401 });
      } else if (lastStatus.current < 400 && cutOff.current) {
        // The answer stopped mid-stream (the connection or the server went away): keep what
        // arrived, marked cut off with a Retry — the server saved it the same way.
        setMessages((current) => markLastAnswerInterrupted(current));
      } else {
        setNotice({ text: noticeText(error), retry: true });
      }
    },
  });

  const streaming = status === 'submitted' || status === 'streaming';
  // Whether text of the answer being streamed has arrived (read by onError).
  const cutOff = useRef(false);
  const last = messages.at(-1);
  cutOff.current = streaming && last?.role === 'assistant' && visibleText(last).length > 0;
  const send = (text: string) => {
    lastSent.current = text;
    lastStatus.current = 200;
    setNotice(null);
    clearError();
    setDraft('');
    setOfferDeclinedHere(false);
    void sendMessage({ text });
  };
  const retry = () => {
    lastStatus.current = 200;
    setNotice(null);
    clearError();
    void regenerate();
  };
  const onStop = () => {
    if (last?.role === 'assistant') setStoppedIds((ids) => new Set(ids).add(last.id));
    void stop();
  };

  // The first message typed on the empty page is sent once, then dropped from history state.
  const sentPending = useRef(false);
  useEffect(() => {
    if (!pendingText || sentPending.current) return;
    sentPending.current = true;
    window.history.replaceState({ ...window.history.state, usr: null }, '');
    send(pendingText);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pendingText]);

  // Follow the end of the conversation while the person is at it: on open, on every new message,
  // and while an answer grows (its citations, rating and share links arrive last). The page is
  // scrolled to its very end, so the sticky message box sits below the last answer instead of
  // covering it. Scrolling up to reread stops the following until they come back down.
  useEffect(() => {
    const view = viewRef.current;
    // Only scrolling up stops the following. A scroll that moved down is ours, or the person coming back; read
    // late, after the page has grown again (the support panel arriving above the messages), it is not at the end
    // any more, and taking it for the person scrolling away left a crisis answer below the message box.
    let lastY = window.scrollY;
    const onScroll = () => {
      const y = window.scrollY;
      if (distanceFromEnd() < FOLLOW_THRESHOLD_PX) pinned.current = true;
      else if (y < lastY) pinned.current = false;
      lastY = y;
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    const resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => pinned.current && scrollToEnd());
    if (view) resize?.observe(view);
    scrollToEnd();
    return () => {
      window.removeEventListener('scroll', onScroll);
      resize?.disconnect();
    };
  }, []);
  useEffect(() => {
    // A message the person just sent brings them back to the end.
    if (messages.at(-1)?.role === 'user') pinned.current = true;
    if (pinned.current) scrollToEnd();
  }, [messages.length, status]);
  // Remix's scroll restoration puts the page back where it was when a revalidation started, which
  // is above the answer's last lines (citations and rating arrive at the end): follow again after it.
  useEffect(() => {
    if (revalidator.state !== 'idle' || !followAfterRevalidation.current) return;
    followAfterRevalidation.current = false;
    pinned.current = true;
    scrollToEnd();
  }, [revalidator.state]);

  const crisis =
    initialSafetyLevel === 'crisis' ||
    messages.some((m) => m.metadata?.conversationSafetyLevel === 'crisis' || m.parts.some((p) => p.type === 'data-resources'));
  const lastAssistantIndex = messages.map((m) => m.role).lastIndexOf('assistant');
  // The chrome around the answers follows the conversation's language (a crisis turn carries it too).
  const language = latestTurnLanguage(messages) ?? latestResources(messages)?.language ?? resources.language;

  return (
    <div className="chat-view" ref={viewRef}>
      <h1 className="chat-title">{title}</h1>
      {crisis ? (
        <ResourcesPanel
          conversationId={conversationId}
          resources={latestResources(messages) ?? resources}
          contacts={contacts}
          choice={handoffChoice}
          onChoice={setHandoffChoice}
          alreadyRequested={handoffRequested}
          formRequest={handoffFormRequest}
        />
      ) : null}
      <ol className="msg-list" role="log" aria-label="Messages" aria-live="polite" aria-relevant="additions">
        {messages.map((message, index) => (
          <MessageItem
            key={message.id}
            message={message}
            conversationId={conversationId}
            contacts={contacts}
            streaming={streaming && index === messages.length - 1 && message.role === 'assistant'}
            stopped={stoppedIds.has(message.id)}
            onRetry={index === lastAssistantIndex && !streaming ? retry : undefined}
            language={language}
          />
        ))}
        {status === 'submitted' && messages.at(-1)?.role === 'user' ? (
          <li className="msg msg-assistant">
            <div className="msg-bubble">
              <p className="typing" lang={resources.language} aria-label={chatText(language).coachThinking}>…</p>
            </div>
          </li>
        ) : null}
      </ol>
      {crisis && !streaming && !handoffRequested ? (
        <HandoffOffer
          resources={latestResources(messages) ?? resources}
          choice={handoffChoice}
          declinedHere={offerDeclinedHere}
          onYes={() => {
            setHandoffChoice('yes');
            setHandoffFormRequest((n) => n + 1);
          }}
          onNotNow={() => {
            setHandoffChoice('no');
            setOfferDeclinedHere(true);
          }}
        />
      ) : null}
      {notice ? (
        <div className="alert alert-error chat-notice" role="alert">
          <span>{notice.text}</span>
          {notice.signIn ? (
            <a className="btn btn-small" href={`/login?redirectTo=${encodeURIComponent(`/chat/${conversationId}`)}`}>
              Sign in
            </a>
          ) : null}
          {notice.retry ? (
            <button type="button" className="btn btn-small" onClick={retry}>
              Try again
            </button>
          ) : null}
        </div>
      ) : null}
      <Composer value={draft} onChange={setDraft} onSend={send} streaming={streaming} onStop={onStop} language={language} />
    </div>
  );
}

/** How close to the end of the page (px) still counts as "at the end" for following new text. */
const FOLLOW_THRESHOLD_PX = 120;

function scrollingElement(): Element {
  return document.scrollingElement ?? document.documentElement;
}

function distanceFromEnd(): number {
  const el = scrollingElement();
  return el.scrollHeight - (el.scrollTop + window.innerHeight);
}

function scrollToEnd() {
  window.scrollTo({ top: scrollingElement().scrollHeight, behavior: 'instant' });
}

/** The last answer, partly streamed when the connection failed, is shown as cut off. */
function markLastAnswerInterrupted(messages: ChatUIMessage[]): ChatUIMessage[] {
  const last = messages.at(-1);
  if (!last || last.role !== 'assistant') return messages;
  return [...messages.slice(0, -1), { ...last, metadata: { ...last.metadata, status: 'interrupted' } }];
}

function noticeText(error: Error): string {
  if (error instanceof TypeError || /failed to fetch|network/i.test(error.message)) {
    return "The coach can't be reached right now. Your conversation is saved — please try again in a moment.";
  }
  return error.message && error.message.length < 300 ? error.message : 'The coach could not answer just now. Your message is saved — please try again.';
}

/** The language the latest streamed answer was given in (stored answers leave it to the conversation's). */
function latestTurnLanguage(messages: ChatUIMessage[]): LanguageCode | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const language = messages[i].metadata?.language;
    if (messages[i].role === 'assistant' && language && isSupportedLanguage(language)) return language;
  }
  return undefined;
}

/** The resources the server sent with the latest crisis turn (in that turn's language), if any. */
function latestResources(messages: ChatUIMessage[]): ResourcesView | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const part = messages[i].parts.find((p) => p.type === 'data-resources');
    if (part && part.type === 'data-resources') return part.data;
  }
  return null;
}
