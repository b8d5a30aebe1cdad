// A thin streaming transport for OpenAI-compatible chat models (Ollama, vLLM, LM Studio, gateways).
// Why: the AI SDK's doStream pipes every SSE chunk through five web-stream layers (fetch body,
// TextDecoderStream, EventSourceParserStream, JSON + zod validation, the provider's transform),
// which cost more CPU per streamed token than the rest of a chat turn (docs/decisions/039).
// Here one node:http response is parsed in place: SSE lines by hand, each `data:` with plain
// JSON.parse, mapped to the same LanguageModelV3 stream parts the SDK model produces, into a
// small queue the turn reads directly (`DIRECT_PARTS`). Everything else is the SDK model's own:
// request arguments and body (getArgs, transformRequestBody), URL and headers, error responses
// (failedResponseHandler), usage conversion, doGenerate. A call the thin path does not cover
// (tools, structured output, raw chunks, a custom fetch) is handed to the SDK model unchanged.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import {
  APICallError,
  InvalidResponseDataError,
  type LanguageModelV3,
  type LanguageModelV3CallOptions,
  type LanguageModelV3FinishReason,
  type LanguageModelV3StreamPart,
  type LanguageModelV3Usage,
  type SharedV3Warning,
} from '@ai-sdk/provider';
import { cpuMark } from '~/.server/cpu-marks';

type Part = LanguageModelV3StreamPart;
type StreamResult = Awaited<ReturnType<LanguageModelV3['doStream']>>;

/** The parts of a thin stream, for a reader that wants them without a web stream in between. */
export const DIRECT_PARTS = Symbol.for('rapport.directParts');

export interface PartSource {
  read(): Promise<ReadableStreamReadResult<Part>>;
  cancel(reason?: unknown): Promise<void>;
}

/** What the thin path uses of the SDK's OpenAICompatibleChatLanguageModel (its own fields and methods). */
interface SdkCompatibleChatModel extends LanguageModelV3 {
  config: {
    provider: string;
    url(options: { path: string; modelId: string }): string;
    headers(): Record<string, string | undefined>;
    fetch?: unknown;
    includeUsage?: boolean;
  };
  getArgs(options: LanguageModelV3CallOptions): Promise<{ args: Record<string, unknown>; warnings: SharedV3Warning[]; metadataKey: string }>;
  transformRequestBody(args: Record<string, unknown>, warnings: SharedV3Warning[]): Record<string, unknown>;
  convertUsage(usage: unknown): LanguageModelV3Usage;
  failedResponseHandler(options: { response: Response; url: string; requestBodyValues: unknown }): Promise<{ value: Error }>;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

function thinPathFits(model: LanguageModelV3, options: LanguageModelV3CallOptions): model is SdkCompatibleChatModel {
  const m = model as Partial<SdkCompatibleChatModel>;
  return (
    typeof m.getArgs === 'function' &&
    typeof m.transformRequestBody === 'function' &&
    typeof m.convertUsage === 'function' &&
    typeof m.failedResponseHandler === 'function' &&
    typeof m.config?.url === 'function' &&
    typeof m.config.headers === 'function' &&
    m.config.fetch === undefined &&
    !options.tools?.length &&
    !options.includeRawChunks &&
    (options.responseFormat === undefined || options.responseFormat.type === 'text')
  );
}

/** The SDK's OpenAI-compatible chat model with its streaming done by the thin transport. */
export class ThinCompatibleChatModel implements LanguageModelV3 {
  readonly specificationVersion = 'v3' as const;

  constructor(private readonly sdk: LanguageModelV3) {}

  get provider() {
    return this.sdk.provider;
  }

  get modelId() {
    return this.sdk.modelId;
  }

  get supportedUrls() {
    return this.sdk.supportedUrls;
  }

  doGenerate(options: LanguageModelV3CallOptions) {
    return this.sdk.doGenerate(options);
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<StreamResult> {
    const sdk = this.sdk;
    if (!thinPathFits(sdk, options)) return sdk.doStream(options);
    const { args, warnings, metadataKey } = await sdk.getArgs({ ...options });
    const body = sdk.transformRequestBody(
      { ...args, stream: true, stream_options: sdk.config.includeUsage ? { include_usage: true } : undefined },
      warnings,
    );
    cpuMark('request-built');
    const url = sdk.config.url({ path: '/chat/completions', modelId: sdk.modelId });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const [name, value] of Object.entries({ ...sdk.config.headers(), ...options.headers })) {
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
    cpuMark('request-body');
    const response = await post(url, headers, JSON.stringify(body), options.abortSignal);
    cpuMark('response-headers');
    if (response.statusCode === undefined || response.statusCode < 200 || response.statusCode > 299) {
      throw await errorOf(sdk, response, url, body);
    }
    const parts = new SsePartSource(response, options.abortSignal, warnings, metadataKey, (usage) => sdk.convertUsage(usage));
    return withDirectParts({ request: { body }, response: { headers: responseHeaders(response) } }, parts);
  }
}

/** A stream result whose `stream` is built only if someone asks for it; `DIRECT_PARTS` reads the same parts. */
function withDirectParts(result: Omit<StreamResult, 'stream'>, parts: SsePartSource): StreamResult {
  let stream: ReadableStream<Part> | undefined;
  const out = { ...result } as StreamResult & { [DIRECT_PARTS]: PartSource };
  Object.defineProperty(out, 'stream', {
    enumerable: true,
    get: () =>
      (stream ??= new ReadableStream<Part>({
        async pull(controller) {
          try {
            const next = await parts.read();
            if (next.done) controller.close();
            else controller.enqueue(next.value);
          } catch (error) {
            controller.error(error);
          }
        },
        cancel: (reason) => parts.cancel(reason),
      })),
  });
  Object.defineProperty(out, DIRECT_PARTS, { value: parts });
  return out;
}

function post(url: string, headers: Record<string, string>, payload: string, signal: AbortSignal | undefined): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const agent = agents[target.protocol as keyof typeof agents];
    const request = client.request(target, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(payload)) }, agent });
    const onAbort = () => request.destroy(signal!.reason instanceof Error ? signal!.reason : abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    request.once('response', (response) => {
      response.once('close', () => signal?.removeEventListener('abort', onAbort));
      resolve(response);
    });
    request.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return reject(signal.reason ?? abortError());
      reject(new APICallError({ message: `Cannot connect to API: ${error.message}`, cause: error, url, requestBodyValues: JSON.parse(payload), isRetryable: true }));
    });
    request.end(payload);
  });
}

function abortError(): Error {
  return new DOMException('This operation was aborted', 'AbortError');
}

function responseHeaders(response: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

/** A non-2xx answer becomes exactly the error the SDK model would throw (its own handler reads it). */
async function errorOf(sdk: SdkCompatibleChatModel, response: http.IncomingMessage, url: string, body: unknown): Promise<Error> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const status = response.statusCode ?? 500;
  const fetchResponse = new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), {
    status,
    statusText: response.statusMessage,
    headers: responseHeaders(response),
  });
  try {
    return (await sdk.failedResponseHandler({ response: fetchResponse, url, requestBodyValues: body })).value;
  } catch (error) {
    if (APICallError.isInstance(error)) return error;
    return new APICallError({ message: 'Failed to process error response', cause: error, statusCode: status, url, responseHeaders: responseHeaders(response), requestBodyValues: body });
  }
}

/** Chunk fields the stream reads (the SDK validates the same shape with zod). */
interface Chunk {
  id?: string | null;
  created?: number | null;
  model?: string | null;
  choices?: Array<{ delta?: { content?: unknown; reasoning_content?: string | null; reasoning?: string | null; refusal?: string | null } | null; finish_reason?: string | null }>;
  usage?: unknown;
  error?: unknown;
}

/**
 * Parses the SSE body of a chat completion as it arrives, into stream parts, the SDK model's
 * sequence: stream-start, response-metadata, reasoning/text start-delta-end, error, finish.
 */
class SsePartSource implements PartSource {
  private readonly queue: Part[] = [];
  private head = 0;
  private ended = false;
  private failure: unknown = null;
  private waiting: { resolve: (r: ReadableStreamReadResult<Part>) => void; reject: (e: unknown) => void } | null = null;
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private data = '';
  private dataLines = 0;
  private first = true;
  private activeText = false;
  private activeReasoning = false;
  private refusal = false;
  /** After the first text: the socket is read once per READ_EVERY_MS (readPaced). */
  paced = false;
  private rawFinishReason: string | undefined;
  private finishReason: LanguageModelV3FinishReason | undefined;
  private usage: unknown;
  /** The socket's own error (ECONNRESET, …), when the connection failed under the response. */
  private transportError: Error | null = null;

  constructor(
    private readonly response: http.IncomingMessage,
    private readonly signal: AbortSignal | undefined,
    warnings: SharedV3Warning[],
    private readonly metadataKey: string,
    private readonly convertUsage: (usage: unknown) => LanguageModelV3Usage,
  ) {
    this.queue.push({ type: 'stream-start', warnings });
    response.on('data', (chunk: Buffer) => {
      this.feed(this.decoder.write(chunk));
      if (this.paced) stopReading(this.response);
    });
    response.once('end', () => {
      pacedSources.delete(this);
      releaseReading(response);
      this.feed(this.decoder.end());
      this.flush();
      this.end(null);
    });
    // A socket error (a reset: `read ECONNRESET`) reaches the request; the response then only says "aborted".
    const onTransportError = (error: Error) => (this.transportError ??= error);
    const request = (response as http.IncomingMessage & { req?: http.ClientRequest }).req;
    request?.on('error', onTransportError);
    response.once('error', (error) => this.end(this.transportError ?? error));
    response.once('close', () => {
      pacedSources.delete(this);
      releaseReading(response);
      request?.off('error', onTransportError);
      if (!this.ended) this.end(this.signal?.aborted ? (this.signal.reason ?? abortError()) : (this.transportError ?? new Error('the provider closed the stream')));
    });
  }

  read(): Promise<ReadableStreamReadResult<Part>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head];
      this.queue[this.head++] = undefined as never;
      if (this.head > 256 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  async cancel(_reason?: unknown): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    pacedSources.delete(this);
    this.response.destroy();
    this.wake();
  }

  private push(part: Part) {
    // Text deltas that no reader has taken yet are joined (those of one socket read, when it is read
    // in bursts): the turn then checks and sends them once, not once per token. Nothing is lost or
    // reordered; a part already handed to a reader is never changed.
    const last = this.queue.length > this.head ? this.queue[this.queue.length - 1] : undefined;
    if (part.type === 'text-delta' && last?.type === 'text-delta' && last.id === part.id) {
      this.queue[this.queue.length - 1] = { ...last, delta: last.delta + part.delta };
      return;
    }
    this.queue.push(part);
    if (this.waiting) this.wake();
  }

  private wake() {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    void this.read().then(waiting.resolve, waiting.reject);
  }

  private end(error: unknown) {
    if (this.ended) return;
    this.ended = true;
    if (error) this.failure = error;
    this.wake();
  }

  /** SSE lines (LF, CRLF or CR): `data:` lines joined by "\n" until a blank line dispatches the event. */
  private feed(text: string) {
    if (!text) return;
    const input = this.pending ? this.pending + text : text;
    let start = 0;
    for (;;) {
      let end = input.indexOf('\n', start);
      const cr = input.indexOf('\r', start);
      if (cr !== -1 && (end === -1 || cr < end)) {
        if (cr === input.length - 1) break; // a CR at the end may be the first half of CRLF
        end = cr;
      }
      if (end === -1) break;
      this.line(input, start, end);
      start = end + 1;
      if (input.charCodeAt(end) === 13 && input.charCodeAt(start) === 10) start++;
    }
    this.pending = start < input.length ? input.slice(start) : '';
  }

  private line(input: string, start: number, end: number) {
    if (start === end) {
      if (this.dataLines > 0) this.event(this.data);
      this.data = '';
      this.dataLines = 0;
      return;
    }
    if (input.startsWith('data:', start)) {
      const valueStart = input.charCodeAt(start + 5) === 32 ? start + 6 : start + 5;
      const value = input.slice(valueStart, end);
      this.data = this.dataLines === 0 ? value : `${this.data}\n${value}`;
      this.dataLines++;
    }
    // event:, id:, retry: and comments carry nothing a chat completion uses.
  }

  private event(data: string) {
    if (data === '[DONE]') return;
    let value: Chunk;
    try {
      value = JSON.parse(data) as Chunk;
    } catch (error) {
      return this.error(new InvalidResponseDataError({ data, message: `Invalid JSON in the provider's stream: ${(error as Error).message}` }));
    }
    if (value === null || typeof value !== 'object') return this.error(new InvalidResponseDataError({ data: value, message: 'The provider sent a chunk that is not an object.' }));
    if ('error' in value && value.error !== undefined) return this.error(value.error);
    if (!Array.isArray(value.choices)) return this.error(new InvalidResponseDataError({ data: value, message: 'The provider sent a chunk without choices.' }));
    if (this.first) {
      this.first = false;
      this.push({
        type: 'response-metadata',
        id: value.id ?? undefined,
        modelId: value.model ?? undefined,
        timestamp: value.created != null ? new Date(value.created * 1000) : undefined,
      });
    }
    if (value.usage != null) this.usage = value.usage;
    const choice = value.choices[0];
    if (choice?.finish_reason != null) this.rawFinishReason = choice.finish_reason;
    const delta = choice?.delta;
    if (delta == null) return;
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (reasoning) this.reasoningDelta(reasoning);
    const content = delta.content;
    if (typeof content === 'string') {
      if (content.length > 0) this.textDelta(content);
    } else if (Array.isArray(content)) {
      for (const part of content as Array<{ type?: string; text?: unknown; thinking?: unknown }>) {
        if (part?.type === 'text' && typeof part.text === 'string') {
          if (part.text.length > 0) this.textDelta(part.text);
        } else if (part?.type === 'thinking' && Array.isArray(part.thinking)) {
          const text = (part.thinking as Array<{ type?: string; text?: unknown }>)
            .filter((c) => c != null && typeof c === 'object' && c.type === 'text' && typeof c.text === 'string')
            .map((c) => c.text)
            .join('');
          if (text.length > 0) this.reasoningDelta(text);
        }
      }
    }
    if (delta.refusal != null && delta.refusal.length > 0) {
      this.refusal = true;
      this.textDelta(delta.refusal);
    }
  }

  private error(error: unknown) {
    this.finishReason = { unified: 'error', raw: undefined };
    this.push({ type: 'error', error });
  }

  private textDelta(delta: string) {
    if (this.activeReasoning) {
      this.push({ type: 'reasoning-end', id: 'reasoning-0' });
      this.activeReasoning = false;
    }
    if (!this.activeText) {
      this.push({ type: 'text-start', id: 'txt-0' });
      this.activeText = true;
    }
    this.push({ type: 'text-delta', id: 'txt-0', delta });
    if (!this.paced) readPaced(this);
  }

  /** The shared ticker: read what the provider sent since the last tick. */
  readNow() {
    startReading(this.response);
  }

  private reasoningDelta(delta: string) {
    if (this.activeText) {
      this.push({ type: 'text-end', id: 'txt-0' });
      this.activeText = false;
    }
    if (!this.activeReasoning) {
      this.push({ type: 'reasoning-start', id: 'reasoning-0' });
      this.activeReasoning = true;
    }
    this.push({ type: 'reasoning-delta', id: 'reasoning-0', delta });
  }

  /** The body ended: close open parts and finish, as the SDK model's flush does. */
  private flush() {
    if (this.activeReasoning) this.push({ type: 'reasoning-end', id: 'reasoning-0' });
    if (this.activeText) this.push({ type: 'text-end', id: 'txt-0' });
    if (this.rawFinishReason != null) {
      this.finishReason = { unified: finishReasonOf(this.rawFinishReason, this.refusal), raw: this.rawFinishReason };
    }
    if (this.finishReason == null) {
      this.finishReason = { unified: 'error', raw: undefined };
      this.push({ type: 'error', error: new InvalidResponseDataError({ data: undefined, message: 'Response stream ended without a finish reason.' }) });
    }
    const usage = this.usage as { completion_tokens_details?: { accepted_prediction_tokens?: number; rejected_prediction_tokens?: number } } | undefined;
    const metadata: Record<string, number> = {};
    const details = usage?.completion_tokens_details;
    if (details?.accepted_prediction_tokens != null) metadata.acceptedPredictionTokens = details.accepted_prediction_tokens;
    if (details?.rejected_prediction_tokens != null) metadata.rejectedPredictionTokens = details.rejected_prediction_tokens;
    this.push({ type: 'finish', finishReason: this.finishReason, usage: this.convertUsage(this.usage), providerMetadata: { [this.metadataKey]: metadata } });
  }
}

// ── Reading the provider's socket in bursts ─────────────────────────────────────────────────
// A provider streams one token per TCP segment (tens of milliseconds apart), and on this virtual
// machine every wake-up of the event loop costs ≈ 0.15–0.3 ms of CPU whatever the JavaScript does
// (docs/decisions/041) — more than the rest of a token's work. So once the first text has arrived
// (time to first token is never delayed), the socket is left unread between ticks of one ticker
// shared by every stream of the process: the kernel keeps what arrives, and each tick reads it in
// one go (one wake-up for several tokens), and the text deltas of one read reach the turn as one
// delta (SsePartSource.push). Every token's text is still parsed, checked by the output guard and
// checkpointed as before; it only reaches the turn up to READ_EVERY_MS later.
// Uses the socket handle's readStop/readStart (what net.Socket itself uses for backpressure); a
// socket without them is simply read as it comes.
// A plain TCP socket (no TLS) is read at each tick straight from its file descriptor (fs.readSync,
// non-blocking: it returns what the kernel holds, or EAGAIN) and the bytes handed to the socket as
// libuv would hand them: its descriptor then leaves the event loop's epoll set once, for the whole
// stream. Restarting libuv's reading at every tick put it back each time, and libuv takes a stopped
// descriptor out only when the next token arrives for it — a second wake-up per window, as costly as
// the tick itself (ADR 064, session 12's strace).

/** How often a streaming provider's socket is read after the first token. */
export const READ_EVERY_MS = 100;

type ReadableHandle = { reading?: boolean; readStop?: () => number; readStart?: () => number; fd?: number };

/** One scratch buffer for every direct read (each read is copied out before the next). */
const scratch = Buffer.allocUnsafeSlow(64 * 1024);

type DirectRead = 'more' | 'drained' | 'eof' | NodeJS.ErrnoException;

/**
 * What the kernel holds for `fd`, pushed into `socket` in order: `eof` at the end of the stream (libuv
 * then reads it and reports the end as usual), or the read's error (ECONNRESET, ETIMEDOUT, …), which the
 * caller must report itself: the kernel hands a socket error to one read only, so libuv would not see it.
 */
function readDirect(fd: number, socket: NodeJS.ReadableStream & { push(chunk: Buffer): boolean }): DirectRead {
  let n: number;
  try {
    n = fs.readSync(fd, scratch, 0, scratch.length, null);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EAGAIN' || code === 'EWOULDBLOCK' ? 'drained' : (error as NodeJS.ErrnoException);
  }
  if (n === 0) return 'eof';
  socket.push(Buffer.from(scratch.subarray(0, n)));
  return n < scratch.length ? 'drained' : 'more';
}

/**
 * The socket's handle with its readStart gated: Node's stream machinery restarts reading whenever
 * its buffer drains, so between ticks a restart is a no-op (Node still believes it is reading);
 * `open` reads for real until the next chunk has been taken, `release` hands the socket back
 * (a keep-alive socket is reused by the next request) reading normally.
 */
interface GatedHandle {
  open(): void;
  close(): void;
  release(): void;
}

const gates = new WeakMap<http.IncomingMessage, GatedHandle>();

function gateOf(response: http.IncomingMessage): GatedHandle | undefined {
  const existing = gates.get(response);
  if (existing) return existing;
  const handle = (response.socket as unknown as { _handle?: ReadableHandle } | null)?._handle;
  if (!handle || typeof handle.readStop !== 'function' || typeof handle.readStart !== 'function' || Object.hasOwn(handle, 'readStart')) return undefined;
  const readStart = handle.readStart.bind(handle);
  const readStop = handle.readStop.bind(handle);
  const socket = response.socket!;
  // The descriptor is read directly only for plain TCP: TLS bytes must go through the TLS socket.
  const fd = !(socket as { encrypted?: boolean }).encrypted && typeof handle.fd === 'number' && handle.fd >= 0 ? handle.fd : undefined;
  let reading = true;
  let released = false;
  let failed = false;
  const alive = () => !released && !failed && !response.socket?.destroyed;
  handle.readStart = () => (reading ? readStart() : 0);
  const gate: GatedHandle = {
    open() {
      if (reading || !alive()) return;
      if (fd !== undefined) {
        let read: DirectRead;
        do read = readDirect(fd, socket as never);
        while (read === 'more' && alive());
        if (read === 'more' || read === 'drained' || !alive()) return;
        if (read !== 'eof') {
          // A reset mid-stream: the socket fails with the read's error, as when libuv reads it (the stream
          // then ends with that error, and the turn stores what was shown as interrupted). After the text
          // this read pushed has been handed on.
          failed = true;
          const error = read;
          setImmediate(() => socket.destroy(error));
          return;
        }
        // The end of the stream: libuv reads the socket again and reports it as usual.
      }
      reading = true;
      readStart();
    },
    close() {
      if (!reading || !alive()) return;
      reading = false;
      readStop();
    },
    release() {
      if (released) return;
      released = true;
      delete handle.readStart;
      if (!reading && handle.reading && !response.socket?.destroyed) readStart();
    },
  };
  gates.set(response, gate);
  return gate;
}

function stopReading(response: http.IncomingMessage) {
  gateOf(response)?.close();
}

function startReading(response: http.IncomingMessage) {
  gates.get(response)?.open();
}

function releaseReading(response: http.IncomingMessage) {
  gates.get(response)?.release();
}

/**
 * Streams read at one tick, at most: with more, the streams are spread over up to READ_SLICES ticks of one
 * READ_EVERY_MS window (each still read once per window). Reading a hundred streams at one tick held the event
 * loop for tens of milliseconds ten times a second, and every new turn's next step (a database reply, the
 * provider's first token) waited behind it: time to first token under steady load (ADR 054). A single stream
 * keeps one tick per window, so a lone turn wakes the process no more often than before.
 */
export const STREAMS_PER_READ_TICK = 20;
const READ_SLICES = 5;

const pacedSources = new Map<SsePartSource, number>();
let readTicker: NodeJS.Timeout | null = null;
let readSlices = 1;
let readTick = 0;
let nextReadSlot = 0;

function slicesFor(streams: number): number {
  return Math.min(READ_SLICES, Math.max(1, Math.ceil(streams / STREAMS_PER_READ_TICK)));
}

function readPaced(source: SsePartSource) {
  source.paced = true;
  pacedSources.set(source, nextReadSlot++);
  if (!readTicker) startReadTicker(slicesFor(pacedSources.size));
}

function startReadTicker(slices: number) {
  if (readTicker) clearInterval(readTicker);
  readSlices = slices;
  readTicker = setInterval(onReadTick, READ_EVERY_MS / slices);
  readTicker.unref();
}

function onReadTick() {
  if (pacedSources.size === 0) {
    clearInterval(readTicker!);
    readTicker = null;
    return;
  }
  const slice = readTick++ % readSlices;
  for (const [source, slot] of pacedSources) if (slot % readSlices === slice) source.readNow();
  const wanted = slicesFor(pacedSources.size);
  if (wanted !== readSlices) startReadTicker(wanted);
}

function finishReasonOf(raw: string, refusal: boolean): LanguageModelV3FinishReason['unified'] {
  switch (raw) {
    case 'stop':
      return refusal ? 'content-filter' : 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    case 'function_call':
    case 'tool_calls':
      return 'tool-calls';
    default:
      return 'other';
  }
}
