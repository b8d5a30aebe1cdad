// POST /api/chat — one chat turn (coach/chat-request.ts). The web server answers this route without Remix
// (server/index.ts); tests and any other server reach it here.
import type { ActionFunctionArgs } from '@remix-run/node';
import { optionalUser } from '~/.server/auth/guards';
import { chatTurnResponse } from '~/.server/coach/chat-request';

export { SIGNED_OUT_MESSAGE, turnRequestSchema } from '~/lib/chat-api';

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  return chatTurnResponse({
    user: optionalUser(args),
    method: request.method,
    contentLength: Number(request.headers.get('content-length') ?? 0),
    readJson: () => request.json(),
    signal: request.signal,
  });
}

export async function loader() {
  return new Response('Use POST to send a message.', { status: 405, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
