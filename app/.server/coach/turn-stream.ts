// The browser side of a turn: an AI SDK UI message stream the pipeline writes into as it goes.
// It never waits for a reader (a CLI turn has none); when the reader goes away (the person
// pressed stop, or closed the tab) `onCancel` fires so the turn can stop the model.
// A reader takes it either as UI message chunks (`objects`, the CLI and tests) or as the bytes
// of the server-sent-event body (`sse`, the HTTP route): the writer then encodes each chunk once,
// straight into the response body, instead of through the AI SDK's JSON-to-SSE and TextEncoder
// transform streams (two more stream hops per token; see docs/decisions/016).
import { UI_MESSAGE_STREAM_HEADERS, type InferUIMessageChunk } from 'ai';
import type { ChatUIMessage } from '~/lib/chat';

export type ChatChunk = InferUIMessageChunk<ChatUIMessage>;

export interface TurnStreamWriter {
  write(chunk: ChatChunk): void;
  close(): void;
  readonly closed: boolean;
}

export interface TurnStream {
  /** The chunks as objects. Either this or `sse`, once. */
  readonly objects: ReadableStream<ChatChunk>;
  /** The SSE body, byte for byte what createUIMessageStreamResponse would send. */
  readonly sse: ReadableStream<Uint8Array>;
}

const encoder = new TextEncoder();
const DONE = encoder.encode('data: [DONE]\n\n');

export function createTurnStream(onCancel: () => void): { turnStream: TurnStream; writer: TurnStreamWriter } {
  let closed = false;
  // Chunks written before a reader chose its form (the turn starts writing at once).
  let pending: ChatChunk[] | null = [];
  let push: ((chunk: ChatChunk) => void) | null = null;
  let end: (() => void) | null = null;
  let chosen: 'objects' | 'sse' | null = null;

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

/** Server-sent events, never compressed or buffered on the way (see server/index.ts). */
export function turnStreamResponse(turn: { sse: ReadableStream<Uint8Array> }): Response {
  const headers = new Headers(UI_MESSAGE_STREAM_HEADERS);
  headers.set('cache-control', 'no-cache, no-transform');
  return new Response(turn.sse, { headers });
}
