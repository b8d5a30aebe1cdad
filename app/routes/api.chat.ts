// POST /api/chat — one chat turn. Parses (zod), authorises, calls runTurn(), returns its
// AI SDK UI message stream (text/event-stream). Errors are plain text for useChat to show.
import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { optionalUser, requireRole } from '~/.server/auth/guards';
import { isDatabaseUnavailable } from '~/.server/db/errors';
import { ConversationNotFoundError, runTurn } from '~/.server/coach/run-turn';
import { turnStreamResponse } from '~/.server/coach/turn-stream';
import { MAX_MESSAGE_CHARS } from '~/lib/chat';

export const turnRequestSchema = z.object({
  conversationId: z.string().max(100).optional(),
  text: z.string(),
  trigger: z.enum(['submit-message', 'regenerate-message']).default('submit-message'),
});

/** Far above any valid body (4,000 characters of text plus JSON), so a huge upload is refused unread. */
const MAX_BODY_BYTES = 64 * 1024;

function plain(message: string, status: number) {
  return new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** Shown by the chat when the session has ended (the client reads `error`). */
export const SIGNED_OUT_MESSAGE = 'You have been signed out. Sign in again to send this message — it is still in the box.';

export async function action(args: ActionFunctionArgs) {
  // An API answers a signed-out call with 401 and a message, not a redirect to the sign-in page.
  if (!optionalUser(args)) return Response.json({ error: SIGNED_OUT_MESSAGE, signIn: '/login' }, { status: 401 });
  const user = requireRole(args, 'manager');
  const { request } = args;
  if (request.method !== 'POST') return plain('Use POST to send a message.', 405);
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) {
    return plain(`That message is too long. Please keep it under ${MAX_MESSAGE_CHARS.toLocaleString('en-US')} characters.`, 413);
  }
  let body: unknown;
  try {
    body = await request.json();
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
      signal: request.signal,
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

export async function loader() {
  return plain('Use POST to send a message.', 405);
}
