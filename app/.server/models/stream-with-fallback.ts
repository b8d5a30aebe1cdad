// Streams a reply from the first model in a fallback chain that produces a first token in time.
// A provider error or a silent provider before the first token moves on to the next model; once a token
// has reached the caller the model is committed, and a later failure is reported, not retried.
import { streamText, type FinishReason, type LanguageModel, type LanguageModelUsage, type ModelMessage, type TextStreamPart, type ToolSet } from 'ai';
import { getLanguageModel, type ModelEnv } from './providers';

export const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 8000;

export type TextStreamResult = ReturnType<typeof streamText<ToolSet>>;

export interface FallbackAttempt {
  modelId: string;
  kind: 'error' | 'first-token-timeout' | 'empty-response';
  error: string;
  /** Time spent on this model before giving up on it. */
  elapsedMs: number;
}

export interface StreamCompletion {
  status: 'complete' | 'error' | 'aborted';
  /** Everything the answering model produced, also when it broke off mid-stream. */
  text: string;
  usage: LanguageModelUsage | undefined;
  finishReason: FinishReason | undefined;
  error: string | undefined;
}

export interface FallbackStream {
  /** Catalogue id of the model that answered. */
  modelId: string;
  /** The answering model's streamText result, complete from its first part: use toUIMessageStreamResponse() etc. */
  result: TextStreamResult;
  /** The models that failed before it, in order. */
  attempts: FallbackAttempt[];
  /** From the call to the first text token, across failed attempts. */
  timeToFirstTokenMs: number;
  /** Text deltas from the start; throws if the stream breaks mid-way. Each call starts a fresh copy. */
  textDeltas(): AsyncIterable<string>;
  /** Settles when the answering stream ends; never rejects, so interrupted replies can still be stored. */
  completion: Promise<StreamCompletion>;
}

export interface StreamWithFallbackOptions {
  chain: string[];
  env: ModelEnv;
  /** Defaults to getLanguageModel(id, env); tests pass mock models here. */
  resolveModel?: (modelId: string) => LanguageModel;
  system?: string;
  messages: ModelMessage[];
  temperature?: number;
  maxOutputTokens?: number;
  abortSignal?: AbortSignal;
  firstTokenTimeoutMs?: number;
  /** Retries per model inside the AI SDK; 0 by default because the chain is the retry. */
  maxRetries?: number;
  onFallback?: (attempt: FallbackAttempt) => void;
}

export class AllModelsFailedError extends Error {
  readonly attempts: FallbackAttempt[];
  constructor(attempts: FallbackAttempt[]) {
    super(`Every model in the chain failed: ${attempts.map((a) => `${a.modelId} (${a.kind}: ${a.error})`).join('; ') || 'empty chain'}`);
    this.name = 'AllModelsFailedError';
    this.attempts = attempts;
  }
}

type Part = TextStreamPart<ToolSet>;

export async function streamWithFallback(options: StreamWithFallbackOptions): Promise<FallbackStream> {
  const startedAt = performance.now();
  const attempts: FallbackAttempt[] = [];
  const resolveModel = options.resolveModel ?? ((id: string) => getLanguageModel(id, options.env));
  for (const modelId of options.chain) {
    options.abortSignal?.throwIfAborted();
    const attemptStart = performance.now();
    const outcome = await tryModel(modelId, resolveModel, options);
    if (outcome.ok) {
      return {
        modelId,
        result: outcome.result,
        attempts,
        timeToFirstTokenMs: performance.now() - startedAt,
        textDeltas: () => textDeltasOf(outcome.result),
        completion: outcome.completion,
      };
    }
    options.abortSignal?.throwIfAborted();
    const attempt: FallbackAttempt = { modelId, kind: outcome.kind, error: outcome.error, elapsedMs: performance.now() - attemptStart };
    attempts.push(attempt);
    options.onFallback?.(attempt);
  }
  throw new AllModelsFailedError(attempts);
}

type AttemptOutcome =
  | { ok: true; result: TextStreamResult; completion: Promise<StreamCompletion> }
  | { ok: false; kind: FallbackAttempt['kind']; error: string };

async function tryModel(
  modelId: string,
  resolveModel: (id: string) => LanguageModel,
  options: StreamWithFallbackOptions,
): Promise<AttemptOutcome> {
  let model: LanguageModel;
  try {
    model = resolveModel(modelId);
  } catch (error) {
    return { ok: false, kind: 'error', error: describeError(error) };
  }
  const attemptAbort = new AbortController();
  const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, attemptAbort.signal]) : attemptAbort.signal;
  const result = streamText({
    model,
    system: options.system,
    messages: options.messages,
    temperature: options.temperature,
    maxOutputTokens: options.maxOutputTokens,
    maxRetries: options.maxRetries ?? 0,
    abortSignal: signal,
    // Errors are read from the stream parts; this only stops the SDK's default console logging.
    onError: () => {},
  });
  const parts = result.fullStream[Symbol.asyncIterator]();
  const deadline = performance.now() + (options.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_TIMEOUT_MS);
  const giveUp = (kind: FallbackAttempt['kind'], error: string): AttemptOutcome => {
    attemptAbort.abort(new Error(`${modelId}: ${kind}`));
    void parts.return?.().catch(() => {});
    return { ok: false, kind, error };
  };
  for (;;) {
    let next: IteratorResult<Part> | 'timeout';
    try {
      next = await nextWithin(parts, deadline - performance.now());
    } catch (error) {
      // Network failures end the stream by throwing rather than as an 'error' part.
      return giveUp('error', describeError(error));
    }
    if (next === 'timeout') return giveUp('first-token-timeout', `no first token within ${options.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_TIMEOUT_MS} ms`);
    if (next.done) return giveUp('empty-response', 'stream ended before any text');
    const part = next.value;
    if (part.type === 'error') return giveUp('error', describeError(part.error));
    if (part.type === 'abort') return giveUp('error', 'aborted');
    if (part.type === 'finish') return giveUp('empty-response', 'finished without any text');
    if ((part.type === 'text-delta' || part.type === 'reasoning-delta') && part.text.length > 0) {
      const firstText = part.type === 'text-delta' ? part.text : '';
      return { ok: true, result, completion: drainToCompletion(parts, firstText) };
    }
  }
}

async function nextWithin(parts: AsyncIterator<Part>, ms: number): Promise<IteratorResult<Part> | 'timeout'> {
  if (ms <= 0) return 'timeout';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([parts.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Keeps reading the probe copy of the stream to its end, collecting text, usage and any error. */
async function drainToCompletion(parts: AsyncIterator<Part>, firstText: string): Promise<StreamCompletion> {
  const completion: StreamCompletion = { status: 'complete', text: firstText, usage: undefined, finishReason: undefined, error: undefined };
  try {
    for (let next = await parts.next(); !next.done; next = await parts.next()) {
      const part = next.value;
      if (part.type === 'text-delta') completion.text += part.text;
      else if (part.type === 'error') [completion.status, completion.error] = ['error', describeError(part.error)];
      else if (part.type === 'abort') completion.status = 'aborted';
      else if (part.type === 'finish') [completion.usage, completion.finishReason] = [part.totalUsage, part.finishReason];
    }
  } catch (error) {
    completion.status = 'error';
    completion.error = describeError(error);
  }
  return completion;
}

async function* textDeltasOf(result: TextStreamResult): AsyncIterable<string> {
  for await (const part of result.fullStream) {
    if (part.type === 'text-delta') yield part.text;
    else if (part.type === 'error') throw part.error instanceof Error ? part.error : new Error(describeError(part.error));
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.name}${typeof status === 'number' ? ` ${status}` : ''}: ${error.message}${cause}`;
  }
  return String(error);
}
