// A POST to /api/chat: parse (zod), authorise, runTurn(), and its AI SDK UI message stream (text/event-stream).
// Errors are plain text for useChat to show. Remix's action (routes/api.chat.ts) and the web server's direct route
// (server/index.ts, through the server entry) both answer with chatTurnResponse.
import type { User } from 'lucia';
import { roleRejection } from '~/.server/auth/guards';
import { isDatabaseUnavailable } from '~/.server/db/errors';
import { ConversationNotFoundError, runTurn } from '~/.server/coach/run-turn';
import { turnStreamResponse } from '~/.server/coach/turn-stream';
import { MAX_MESSAGE_CHARS } from '~/lib/chat';
import { SIGNED_OUT_MESSAGE, turnRequestSchema } from '~/lib/chat-api';

/** Far above any valid body (4,000 characters of text plus JSON), so a huge upload is refused unread. */
export const MAX_CHAT_BODY_BYTES = 64 * 1024;

function plain(message: string, status: number) {
  return new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** What a POST to /api/chat needs: from Remix's action, or from the web server's direct route (server/index.ts). */
export interface ChatTurnRequest {
  user: User | null;
  method: string;
  contentLength: number;
  /** The body parsed as JSON; rejects when it is not JSON. */
  readJson: () => Promise<unknown>;
  /** Aborts when the request ends (the person stopped or left). */
  signal: AbortSignal;
}

/**
 * One chat turn's response. The web server calls this without Remix (`chatTurnDirect`, through the server
 * entry): Remix's request, routing and response handling cost ≈ 1.5 ms of CPU a turn (docs/decisions/047)
 * and an API route uses none of them. Remix's action above is the same function, for every other caller.
 */
export async function chatTurnResponse(req: ChatTurnRequest): Promise<Response> {
  // An API answers a signed-out call with 401 and a message, not a redirect to the sign-in page.
  const user = req.user;
  if (!user) return Response.json({ error: SIGNED_OUT_MESSAGE, signIn: '/login' }, { status: 401 });
  const forbidden = roleRejection(user, ['manager']);
  if (forbidden) return forbidden;
  if (req.method !== 'POST') return plain('Use POST to send a message.', 405);
  if (req.contentLength > MAX_CHAT_BODY_BYTES) {
    return plain(`That message is too long. Please keep it under ${MAX_MESSAGE_CHARS.toLocaleString('en-US')} characters.`, 413);
  }
  let body: unknown;
  try {
    body = await req.readJson();
  } catch {
    return plain('The message could not be read. Please try again.', 400);
  }
  const parsed = turnRequestSchema.safeParse(body);
  if (!parsed.success) return plain('The message could not be read. Please try again.', 400);
  const text = parsed.data.text.trim();
  if (!text) return plain('Please write a message first.', 400);
  if (text.length > MAX_MESSAGE_CHARS) {
    return plain(`That message is too long (${text.length.toLocaleString('en-US')} characters). Please keep it under ${MAX_MESSAGE_CHARS.toLocaleString('en-US')}.`, 413);
  }
  try {
    const turn = await runTurn({
      tenantId: user.tenantId,
      userId: user.id,
      conversationId: parsed.data.conversationId,
      text,
      signal: req.signal,
      regenerate: parsed.data.trigger === 'regenerate-message',
    });
    return turnStreamResponse(turn);
  } catch (error) {
    if (error instanceof ConversationNotFoundError) return plain('That conversation was not found.', 404);
    // The database went away between the health check and storing the message: nothing was stored.
    if (isDatabaseUnavailable(error)) return plain("Rapport can't reach its database just now, so your message was not sent. Please try again in a minute.", 503);
    throw error;
  }
}

