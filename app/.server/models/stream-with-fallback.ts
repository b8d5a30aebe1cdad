// Streams a reply from the first model in a fallback chain that produces a first token in time.
// A provider error or a silent provider before the first token moves on to the next model; once a token
// has reached the caller the model is committed, and a later failure is reported, not retried.
// The model's own stream (LanguageModelV3.doStream) is read once, by one loop: streamText's step,
// transform and tee layers cost more CPU per token than everything else in a turn (docs/decisions/016),
// and a chat turn uses none of their features (tools, steps, structured output).
import type { LanguageModelV3, LanguageModelV3Prompt, LanguageModelV3StreamPart, LanguageModelV3Usage } from '@ai-sdk/provider';
import type { FinishReason, LanguageModel, LanguageModelUsage, ModelMessage } from 'ai';
import { DIRECT_PARTS, type PartSource } from './compatible-chat-stream';
import { getLanguageModel, type ModelEnv } from './providers';
import { cpuMark } from '~/.server/cpu-marks';

export const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 8000;
/**
 * The last model in a chain has nothing to fall back to: giving up on it early only turns a slow
 * answer into no answer (the offline coach on a loaded machine, say). It still gets a deadline, so
 * a stalled provider cannot hold a turn forever, but never a shorter one than this.
 */
export const LAST_RESORT_FIRST_TOKEN_TIMEOUT_MS = 30_000;

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

type Part = LanguageModelV3StreamPart;

export async function streamWithFallback(options: StreamWithFallbackOptions): Promise<FallbackStream> {
  const startedAt = performance.now();
  const attempts: FallbackAttempt[] = [];
  const resolveModel = options.resolveModel ?? ((id: string) => getLanguageModel(id, options.env));
  for (const [index, modelId] of options.chain.entries()) {
    options.abortSignal?.throwIfAborted();
    const attemptStart = performance.now();
    const timeoutMs = options.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_TIMEOUT_MS;
    const isLast = index === options.chain.length - 1;
    const outcome = await tryModel(modelId, resolveModel, options, isLast ? Math.max(timeoutMs, LAST_RESORT_FIRST_TOKEN_TIMEOUT_MS) : timeoutMs);
    if (outcome.ok) {
      const reply = outcome.reply;
      return {
        modelId,
        attempts,
        timeToFirstTokenMs: performance.now() - startedAt,
        textDeltas: () => reply.textDeltas(),
        completion: reply.completion,
      };
    }
    options.abortSignal?.throwIfAborted();
    const attempt: FallbackAttempt = { modelId, kind: outcome.kind, error: outcome.error, elapsedMs: performance.now() - attemptStart };
    attempts.push(attempt);
    options.onFallback?.(attempt);
  }
  throw new AllModelsFailedError(attempts);
}

type AttemptOutcome = { ok: true; reply: ReplyReader } | { ok: false; kind: FallbackAttempt['kind']; error: string };

function asV3(model: LanguageModel): LanguageModelV3 {
  if (typeof model === 'object' && model.specificationVersion === 'v3') return model;
  throw new Error(`model ${typeof model === 'string' ? model : model.modelId} does not implement the V3 language-model interface`);
}

/** ModelMessage (text only, as a chat turn builds them) → the provider-level prompt. */
export function toProviderPrompt(system: string | undefined, messages: ModelMessage[]): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = system ? [{ role: 'system', content: system }] : [];
  for (const message of messages) {
    if (message.role === 'system') {
      prompt.push({ role: 'system', content: message.content });
      continue;
    }
    if (message.role !== 'user' && message.role !== 'assistant') throw new Error(`unsupported message role ${message.role}`);
    const parts = typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content;
    const text = parts.map((part) => {
      if (part.type !== 'text') throw new Error(`unsupported message part ${part.type}`);
      return { type: 'text' as const, text: part.text };
    });
    prompt.push({ role: message.role, content: text } as LanguageModelV3Prompt[number]);
  }
  return prompt;
}

async function tryModel(
  modelId: string,
  resolveModel: (id: string) => LanguageModel,
  options: StreamWithFallbackOptions,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  const deadline = performance.now() + timeoutMs;
  const attemptAbort = new AbortController();
  const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, attemptAbort.signal]) : attemptAbort.signal;
  let reader: PartSource | undefined;
  // Giving up aborts the attempt, which closes its HTTP request: a stalled provider leaves no socket open.
  const giveUp = (kind: FallbackAttempt['kind'], error: string): AttemptOutcome => {
    attemptAbort.abort(new Error(`${modelId}: ${kind}`));
    void reader?.cancel().catch(() => {});
    return { ok: false, kind, error };
  };
  const timedOut = () => giveUp('first-token-timeout', `no first token within ${timeoutMs} ms`);
  try {
    const model = asV3(resolveModel(modelId));
    const call = Promise.resolve(model.doStream({
      prompt: toProviderPrompt(options.system, options.messages),
      temperature: options.temperature,
      maxOutputTokens: options.maxOutputTokens,
      abortSignal: signal,
    }));
    const started = await within(call, deadline - performance.now());
    if (started === 'timeout') {
      void call.then((r) => r.stream.cancel(), () => {});
      return timedOut();
    }
    // The thin transport's parts are read as they are queued, without a web stream (compatible-chat-stream.ts).
    reader = (started as { [DIRECT_PARTS]?: PartSource })[DIRECT_PARTS] ?? started.stream.getReader();
  } catch (error) {
    return giveUp('error', describeError(error));
  }
  for (;;) {
    let next: ReadableStreamReadResult<Part> | 'timeout';
    try {
      next = await within(reader.read(), deadline - performance.now());
    } catch (error) {
      // Network failures end the stream by throwing rather than as an 'error' part.
      return giveUp('error', describeError(error));
    }
    if (next === 'timeout') return timedOut();
    if (next.done) return giveUp('empty-response', 'stream ended before any text');
    const part = next.value;
    if (part.type === 'error') return giveUp('error', describeError(part.error));
    if (part.type === 'finish') return giveUp('empty-response', 'finished without any text');
    if ((part.type === 'text-delta' || part.type === 'reasoning-delta') && part.delta.length > 0) {
      cpuMark('first-token');
      return { ok: true, reply: new ReplyReader(reader, part.type === 'text-delta' ? part.delta : '', signal) };
    }
  }
}

async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  if (ms <= 0) return 'timeout';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The committed model's stream, read to its end by one loop whether or not anyone iterates the
 * text: `completion` settles with everything it produced; `textDeltas()` replays the deltas from
 * the start and then follows along.
 */
class ReplyReader {
  private readonly deltas: string[];
  private done = false;
  private failure: Error | null = null;
  private wake: Array<() => void> = [];
  readonly completion: Promise<StreamCompletion>;

  constructor(reader: PartSource, firstText: string, signal: AbortSignal) {
    this.deltas = firstText ? [firstText] : [];
    this.completion = this.pump(reader, signal);
  }

  private notify() {
    const waiting = this.wake;
    this.wake = [];
    for (const resolve of waiting) resolve();
  }

  private async pump(reader: PartSource, signal: AbortSignal): Promise<StreamCompletion> {
    const completion: StreamCompletion = { status: 'complete', text: '', usage: undefined, finishReason: undefined, error: undefined };
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        const part = next.value;
        if (part.type === 'text-delta') {
          if (part.delta) {
            this.deltas.push(part.delta);
            if (this.wake.length > 0) this.notify();
          }
        } else if (part.type === 'error') {
          completion.status = 'error';
          completion.error = describeError(part.error);
          this.failure = part.error instanceof Error ? part.error : new Error(completion.error);
        } else if (part.type === 'finish') {
          completion.usage = asUsage(part.usage);
          completion.finishReason = part.finishReason.unified as FinishReason;
        }
      }
    } catch (error) {
      if (signal.aborted) completion.status = 'aborted';
      else {
        completion.status = 'error';
        completion.error = describeError(error);
        this.failure = error instanceof Error ? error : new Error(completion.error);
      }
    }
    completion.text = this.deltas.join('');
    this.done = true;
    this.notify();
    return completion;
  }

  /** Text deltas from the start; throws if the stream broke with an error (not when aborted). */
  async *textDeltas(): AsyncIterable<string> {
    let i = 0;
    for (;;) {
      while (i < this.deltas.length) yield this.deltas[i++];
      if (this.done) {
        if (this.failure) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => this.wake.push(resolve));
    }
  }
}

/** The provider's usage in the AI SDK's LanguageModelUsage shape (as streamText reports it). */
function asUsage(usage: LanguageModelV3Usage): LanguageModelUsage {
  const add = (a: number | undefined, b: number | undefined) => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));
  return {
    inputTokens: usage.inputTokens.total,
    inputTokenDetails: { noCacheTokens: usage.inputTokens.noCache, cacheReadTokens: usage.inputTokens.cacheRead, cacheWriteTokens: usage.inputTokens.cacheWrite },
    outputTokens: usage.outputTokens.total,
    outputTokenDetails: { textTokens: usage.outputTokens.text, reasoningTokens: usage.outputTokens.reasoning },
    totalTokens: add(usage.inputTokens.total, usage.outputTokens.total),
    raw: usage.raw,
    reasoningTokens: usage.outputTokens.reasoning,
    cachedInputTokens: usage.inputTokens.cacheRead,
  } as LanguageModelUsage;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.name}${typeof status === 'number' ? ` ${status}` : ''}: ${error.message}${cause}`;
  }
  return String(error);
}
