import { PassThrough } from 'node:stream';
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { isbot } from 'isbot';
import { renderToPipeableStream } from 'react-dom/server';
import { NonceProvider } from '~/components/nonce';
import { isDatabaseUnavailable } from '~/.server/db/errors';
import { UNSAFE_ErrorResponseImpl as ErrorResponseImpl } from '@remix-run/router';
// Remix's own single-fetch encoder (not re-exported by the package index; the file has no exports map).
import { encodeViaTurboStream } from '@remix-run/server-runtime/dist/single-fetch.js';
import type { ServerMode } from '@remix-run/server-runtime/dist/mode.js';

// The server process (server/index.ts) reaches the app's server modules through these, so the
// database client, sessions and jobs exist once per process.
export { onServerStart, onServerStop } from '~/.server/boot';
export { resolveSession } from '~/.server/auth/session';
export { pingDb } from '~/.server/db/client';
export { preloadLanguageDetector } from '~/.server/i18n/language';
export { directTurnStream } from '~/.server/coach/turn-stream';
export { chatTurnResponse as chatTurnDirect } from '~/.server/coach/chat-request';

const ABORT_DELAY = 5_000;

const METHOD_NOT_ALLOWED_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Error 405 · Rapport</title><link rel="icon" href="/favicon.ico">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1.25rem;color:#1f2a27}a{color:#2f6f5e}.code{color:#5c6b66;font-weight:600}</style>
</head><body><main>
<p class="code">Error 405</p>
<h1>This page cannot do that</h1>
<p>This address does not accept that kind of request. Go back and use the page’s own buttons and forms.</p>
<p><a href="/">Go to your home page</a></p>
</main></body></html>
`;

// A page whose data could not be read because the database went away (a restart): 503, not 500.
const DATABASE_UNAVAILABLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rapport is unavailable</title><link rel="icon" href="/favicon.ico">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1.25rem;color:#1f2a27}.code{color:#5c6b66;font-weight:600}</style>
</head><body><main>
<h1>Rapport can't reach its database</h1>
<p>Nothing you wrote has been lost. Please try again in a minute; if this keeps happening, tell your administrator.</p>
<p class="code">Error 503</p>
</main></body></html>
`;

type FlaggedContext = { databaseUnavailable?: boolean };

/** Loader and action errors: a lost database connection marks the request (answered 503 below); others are logged as Remix would. */
export function handleError(error: unknown, { request, context }: { request: Request; context: unknown }) {
  if (isDatabaseUnavailable(error)) {
    if (context && typeof context === 'object') (context as FlaggedContext).databaseUnavailable = true;
    return;
  }
  if (!request.signal.aborted) console.error(error);
}

const DATABASE_UNAVAILABLE_MESSAGE = "Rapport can't reach its database just now. Nothing you wrote has been lost; please try again in a minute.";

/**
 * A page's data request (`/chat.data`, single fetch) whose loader or action met a lost database
 * connection: 503 with the route error the page shows ("Rapport is unavailable right now"), in the
 * encoding the browser's router reads, instead of Remix's 500 with an "Unexpected Server Error".
 */
export function handleDataRequest(response: Response, { request, context }: { request: Request; context: unknown }) {
  if (response.status < 500 || !(context as FlaggedContext | undefined)?.databaseUnavailable) return response;
  const error = new ErrorResponseImpl(503, 'Service Unavailable', DATABASE_UNAVAILABLE_MESSAGE);
  // A GET carries one result per route (the root's error shows the whole page's boundary); an action, one result.
  const result = request.method === 'GET' ? { root: { error } } : { error };
  const headers = new Headers(response.headers);
  headers.set('Retry-After', '5');
  return new Response(encodeViaTurboStream(result, request.signal, ABORT_DELAY, 'production' as ServerMode), { status: 503, headers });
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // A POST (or PUT, DELETE …) to a page without a form handler: a plain page, without the
  // framework's internal message ("…did not provide an `action` for route …") or the app shell.
  if (responseStatusCode >= 500 && (loadContext as FlaggedContext | undefined)?.databaseUnavailable) {
    responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
    responseHeaders.set('Retry-After', '5');
    return new Response(DATABASE_UNAVAILABLE_PAGE, { status: 503, headers: responseHeaders });
  }
  if (responseStatusCode === 405) {
    responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
    responseHeaders.set('Allow', 'GET, HEAD');
    return new Response(METHOD_NOT_ALLOWED_PAGE, { status: 405, headers: responseHeaders });
  }
  const nonce = loadContext?.cspNonce ?? '';
  const bot = isbot(request.headers.get('user-agent') ?? '');
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [bot ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
