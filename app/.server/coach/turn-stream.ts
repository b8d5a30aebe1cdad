// The browser side of a turn: an AI SDK UI message stream the pipeline writes into as it goes.
// It never waits for a reader (a CLI turn has none); when the reader goes away (the person
// pressed stop, or closed the tab) `onCancel` fires so the turn can stop the model.
// A reader takes it either as UI message chunks (`objects`, the CLI and tests) or as the bytes
// of the server-sent-event body (`sse`, the HTTP route): the writer then encodes each chunk once,
// straight into the response body, instead of through the AI SDK's JSON-to-SSE and TextEncoder
// transform streams (two more stream hops per token; see docs/decisions/016).
// The web server takes it a third way (`attach`, docs/decisions/039): each chunk is written as
// SSE text straight into the Node response, with no web stream at all.
import { UI_MESSAGE_STREAM_HEADERS, type InferUIMessageChunk } from 'ai';
import type { ChatUIMessage } from '~/lib/chat';

export type ChatChunk = InferUIMessageChunk<ChatUIMessage>;

export interface TurnStreamWriter {
  write(chunk: ChatChunk): void;
  close(): void;
  readonly closed: boolean;
}

/** Where `attach` writes the SSE text: the Node response, in the web server. */
export interface TurnStreamSink {
  write(text: string): void;
  end(): void;
}

export interface TurnStream {
  /** The chunks as objects. One of `objects`, `sse` or `attach`, once. */
  readonly objects: ReadableStream<ChatChunk>;
  /** The SSE body, byte for byte what createUIMessageStreamResponse would send. */
  readonly sse: ReadableStream<Uint8Array>;
  /** The same SSE text written into `sink` as chunks come; the returned cancel() is the reader going away. */
  attach(sink: TurnStreamSink): { cancel(): void };
}

const encoder = new TextEncoder();
const DONE = encoder.encode('data: [DONE]\n\n');

export function createTurnStream(onCancel: () => void): { turnStream: TurnStream; writer: TurnStreamWriter } {
  let closed = false;
  // Chunks written before a reader chose its form (the turn starts writing at once).
  let pending: ChatChunk[] | null = [];
  let push: ((chunk: ChatChunk) => void) | null = null;
  let end: (() => void) | null = null;
  let chosen: 'objects' | 'sse' | 'direct' | null = null;

  const choose = <T>(form: 'objects' | 'sse', encode: (chunk: ChatChunk) => T, finalChunk?: T): ReadableStream<T> => {
    if (chosen) throw new Error(`the turn stream was already taken as ${chosen}`);
    chosen = form;
    return new ReadableStream<T>({
      start(controller) {
        push = (chunk) => controller.enqueue(encode(chunk));
        end = () => {
          if (finalChunk !== undefined) controller.enqueue(finalChunk);
          controller.close();
        };
        for (const chunk of pending ?? []) push(chunk);
        pending = null;
        if (closed) end();
      },
      cancel() {
        closed = true;
        onCancel();
      },
    });
  };

  const turnStream: TurnStream = {
    get objects() {
      return choose('objects', (chunk) => chunk);
    },
    get sse() {
      return choose('sse', (chunk) => encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`), DONE);
    },
    attach(sink) {
      if (chosen) throw new Error(`the turn stream was already taken as ${chosen}`);
      chosen = 'direct';
      const paced = new PacedSink(sink);
      push = (chunk) => paced.write(`data: ${JSON.stringify(chunk)}\n\n`, chunk.type === 'text-delta');
      end = () => paced.end('data: [DONE]\n\n');
      for (const chunk of pending ?? []) push(chunk);
      pending = null;
      if (closed) end();
      return {
        cancel() {
          paced.drop();
          if (closed) return;
          closed = true;
          onCancel();
        },
      };
    },
  };
  const writer: TurnStreamWriter = {
    write(chunk) {
      if (closed) return;
      if (push) push(chunk);
      else pending!.push(chunk);
    },
    close() {
      if (closed) return;
      closed = true;
      end?.();
    },
    get closed() {
      return closed;
    },
  };
  return { turnStream, writer };
}

/** Text deltas after the first are sent together at most this often (the web server's direct form). */
export const SEND_EVERY_MS = 50;

/**
 * Writes SSE text into the Node response with one socket write per window of text deltas instead of
 * one per token: on this virtual machine each write costs about 0.18 ms of CPU (docs/decisions/041),
 * more than everything else a streamed token costs. The first delta (time to first token) and every
 * other chunk (metadata, citations, a replacement, errors, the end) go out at once, after the
 * deltas held before them, so the browser sees exactly the same events in the same order. Only
 * text the output guard already released is ever held; holding it changes when it is shown, by
 * about 2 × SEND_EVERY_MS at most, never what.
 * Held text that no later chunk carries out (a model pausing mid-answer) is sent by one ticker
 * shared by every stream of the process: a timer per stream would wake the process once per
 * window even when cleared (Node's timer lists fire at the first deadline they were armed for).
 */
export class PacedSink {
  held = '';
  private sentAt = 0;
  private sentFirstDelta = false;
  private immediate: NodeJS.Immediate | null = null;

  constructor(
    private readonly sink: TurnStreamSink,
    private readonly everyMs = SEND_EVERY_MS,
  ) {}

  write(text: string, textDelta: boolean) {
    if (!textDelta || !this.sentFirstDelta) {
      if (textDelta) this.sentFirstDelta = true;
      return this.send(text);
    }
    this.held += text;
    if (this.immediate) return;
    // The window has passed: send at the end of this turn of the event loop, with every delta that
    // arrives in it (a provider read in bursts gives several at once; compatible-chat-stream.ts).
    if (performance.now() - this.sentAt >= this.everyMs) {
      this.immediate = setImmediate(() => {
        this.immediate = null;
        this.send('');
      });
    } else holdUntilTick(this);
  }

  end(text: string) {
    this.send(text);
    this.sink.end();
  }

  /** The reader went away: nothing more is written. */
  drop() {
    this.held = '';
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = null;
    heldSinks.delete(this);
  }

  send(text: string) {
    const out = this.held ? this.held + text : text;
    this.held = '';
    heldSinks.delete(this);
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = null;
    this.sentAt = performance.now();
    if (out) this.sink.write(out);
  }
}

const heldSinks = new Set<PacedSink>();
let ticker: NodeJS.Timeout | null = null;

function holdUntilTick(sink: PacedSink) {
  heldSinks.add(sink);
  if (ticker) return;
  ticker = setInterval(() => {
    if (heldSinks.size === 0) {
      clearInterval(ticker!);
      ticker = null;
      return;
    }
    for (const held of [...heldSinks]) held.send('');
  }, SEND_EVERY_MS);
  ticker.unref();
}

const directBodies = new WeakMap<Response, TurnStream['attach']>();

/**
 * Server-sent events, never compressed or buffered on the way (see server/index.ts). The body is
 * read only if the response is consumed as a web response (tests, other adapters); the web server
 * takes `directTurnStream(response)` instead and writes the chunks straight into its response.
 */
export function turnStreamResponse(turn: { sse: ReadableStream<Uint8Array>; attach?: TurnStream['attach'] }): Response {
  const headers = new Headers(UI_MESSAGE_STREAM_HEADERS);
  headers.set('cache-control', 'no-cache, no-transform');
  if (!turn.attach) return new Response(turn.sse, { headers });
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let taken = false;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        taken = true;
        reader ??= turn.sse.getReader();
        const next = await reader.read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel(reason) {
        taken = true;
        return (reader ?? turn.sse.getReader()).cancel(reason);
      },
    },
    // Nothing is pulled until someone reads, so the web server can still take the direct form.
    { highWaterMark: 0 },
  );
  const response = new Response(body, { headers });
  const attach = turn.attach.bind(turn);
  directBodies.set(response, (sink) => {
    if (taken) throw new Error('the turn stream was already read as a web stream');
    taken = true;
    return attach(sink);
  });
  return response;
}

/** The direct form of a turn's response (turnStreamResponse), once; undefined for any other response. */
export function directTurnStream(response: Response): TurnStream['attach'] | undefined {
  const attach = directBodies.get(response);
  directBodies.delete(response);
  return attach;
}
