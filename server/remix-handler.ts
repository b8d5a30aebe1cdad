// @remix-run/express's request handler (2.17), with two differences: a small request body is read
// into memory before Remix parses it (smallBody); and a chat turn's event stream
// (app/.server/coach/turn-stream.ts, `directTurnStream`) is written straight into the Node
// response as SSE text, instead of through a web ReadableStream read chunk by chunk (one reader
// loop, one copy and one promise chain per token; docs/decisions/039). Every other response is
// sent exactly as Remix's adapter sends it.
import type express from 'express';
import {
  createReadableStreamFromReadable,
  createRequestHandler as createRemixHandler,
  writeReadableStreamToWritable,
  type AppLoadContext,
  type ServerBuild,
} from '@remix-run/node';

type DirectStream = (sink: { write(text: string): void; end(): void }) => { cancel(): void };

export function createRequestHandler(opts: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: string;
  getLoadContext: (req: express.Request, res: express.Response) => AppLoadContext;
  directStream: (response: Response) => Promise<DirectStream | undefined>;
}) {
  const handleRequest = createRemixHandler(opts.build, opts.mode);
  return async (req: express.Request, res: express.Response, next: express.NextFunction) => {
    try {
      const response = await handleRequest(createRemixRequest(req, res, await smallBody(req)), opts.getLoadContext(req, res));
      await sendResponse(res, response, opts.directStream);
    } catch (error) {
      next(error);
    }
  };
}

/** A response as Remix's adapter sends it, or a chat turn's event stream in its direct form. */
export async function sendResponse(res: express.Response, response: Response, directStream: (response: Response) => Promise<DirectStream | undefined>) {
  const direct = await directStream(response);
  if (direct) sendDirect(res, response, direct);
  else await sendRemixResponse(res, response);
}

function sendDirect(res: express.Response, response: Response, direct: DirectStream) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  res.flushHeaders();
  const open = () => !res.writableEnded && !res.destroyed;
  // Frames written in one turn of the event loop (a turn's first events, its last ones) go out as one chunk.
  let pending = '';
  const flush = () => {
    const text = pending;
    pending = '';
    if (text && open() && !writeChunkDirect(res, text)) res.write(text);
  };
  const stream = direct({
    write: (text) => {
      if (!text || !open()) return;
      if (!pending) process.nextTick(flush);
      pending += text;
    },
    end: () => {
      flush();
      if (open()) res.end();
    },
  });
  // The person stopped or closed the tab: the turn stops its model (the request's signal aborts too).
  res.once('close', () => {
    if (!res.writableFinished) stream.cancel();
  });
}

/**
 * One HTTP chunk written to the socket as one string: `res.write` on a chunked response writes the size line, the
 * text and the CRLF as separate writes into a corked socket and uncorks on the next tick (a `writev` of four
 * buffers and the middleware's write wrapper on the way) — for every SSE frame of every stream (ADR 064, session 13).
 * Only when the response owns its socket (no pipelined response ahead of it), uses chunked encoding and is not
 * compressed; otherwise false, and the caller writes through `res`. `res.end()` still writes the last chunk.
 */
export function writeChunkDirect(res: express.Response, text: string): boolean {
  const socket = res.socket as (typeof res.socket & { _httpMessage?: unknown }) | null;
  if (!socket || socket._httpMessage !== res || !(res as { chunkedEncoding?: boolean }).chunkedEncoding || res.getHeader('content-encoding')) return false;
  if (!res.headersSent || socket.destroyed) return false;
  if (text.length === 0) return true; // a zero-length chunk would end the body
  socket.write(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`);
  return true;
}

function createRemixHeaders(requestHeaders: express.Request['headers']): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(requestHeaders)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  return headers;
}

/** Bodies up to this size (a chat turn's JSON, a form) are read before Remix sees the request. */
const SMALL_BODY_BYTES = 64 * 1024;

/**
 * A small body with a declared length, read at once into one buffer: Remix then parses it from memory
 * instead of through a web ReadableStream wrapped around the Node request (about 1.5 ms of CPU for a
 * chat turn's few hundred bytes; docs/decisions/041). Uploads and bodies of unknown length stream as before.
 */
export async function smallBody(req: express.Request): Promise<Buffer | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const length = Number(req.headers['content-length']);
  if (!Number.isSafeInteger(length) || length > SMALL_BODY_BYTES || req.headers['transfer-encoding']) return undefined;
  if (length === 0) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

function createRemixRequest(req: express.Request, res: express.Response, body?: Buffer): Request {
  // req.hostname has no port: take it from X-Forwarded-Host or Host.
  const [, hostnamePortStr] = req.get('X-Forwarded-Host')?.split(':') ?? [];
  const [, hostPortStr] = req.get('host')?.split(':') ?? [];
  const hostnamePort = Number.parseInt(hostnamePortStr, 10);
  const hostPort = Number.parseInt(hostPortStr, 10);
  const port = Number.isSafeInteger(hostnamePort) ? hostnamePort : Number.isSafeInteger(hostPort) ? hostPort : '';
  // req.hostname respects the "trust proxy" setting.
  const resolvedHost = `${req.hostname}${port ? `:${port}` : ''}`;
  const url = new URL(`${req.protocol}://${resolvedHost}${req.originalUrl}`);
  let controller: AbortController | null = new AbortController();
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers: createRemixHeaders(req.headers), signal: controller.signal };
  if (body) init.body = body as unknown as BodyInit;
  else if (req.method !== 'GET' && req.method !== 'HEAD') {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = 'half';
  }
  // Abort loaders and actions once no response can be written (`close` without `finish`).
  res.on('finish', () => (controller = null));
  res.on('close', () => controller?.abort());
  return new Request(url.href, init);
}

async function sendRemixResponse(res: express.Response, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get('Content-Type')?.match(/text\/event-stream/i)) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
