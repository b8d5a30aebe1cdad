// The browser side of a turn: an AI SDK UI message stream the pipeline writes into as it goes.
// It never waits for a reader (a CLI turn has none); when the reader goes away (the person
// pressed stop, or closed the tab) `onCancel` fires so the turn can stop the model.
import { createUIMessageStreamResponse, type InferUIMessageChunk } from 'ai';
import type { ChatUIMessage } from '~/lib/chat';

export type ChatChunk = InferUIMessageChunk<ChatUIMessage>;

export interface TurnStreamWriter {
  write(chunk: ChatChunk): void;
  close(): void;
  readonly closed: boolean;
}

export function createTurnStream(onCancel: () => void): { stream: ReadableStream<ChatChunk>; writer: TurnStreamWriter } {
  let controller!: ReadableStreamDefaultController<ChatChunk>;
  let closed = false;
  const stream = new ReadableStream<ChatChunk>({
    start(c) {
      controller = c;
    },
    cancel() {
      closed = true;
      onCancel();
    },
  });
  const writer: TurnStreamWriter = {
    write(chunk) {
      if (!closed) controller.enqueue(chunk);
    },
    close() {
      if (closed) return;
      closed = true;
      controller.close();
    },
    get closed() {
      return closed;
    },
  };
  return { stream, writer };
}

/** Server-sent events, never compressed or buffered on the way (see server/index.ts). */
export function turnStreamResponse(stream: ReadableStream<ChatChunk>): Response {
  return createUIMessageStreamResponse({
    stream,
    headers: { 'cache-control': 'no-cache, no-transform' },
  });
}
