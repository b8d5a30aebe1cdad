// The offline coach: an AI SDK LanguageModelV3 with no network. It reads the composed system prompt and
// the manager's last message and streams a deterministic coaching reply word by word, with token usage.
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
  SharedV3Warning,
} from '@ai-sdk/provider';
import { composeOfflineReply } from './offline-coach-reply';
import { estimateTokens } from './tokens';

export const OFFLINE_COACH_MODEL_ID = 'offline-coach-v1';

export interface OfflineCoachOptions {
  /** Pause between streamed words, to mimic a real model in demos; 0 streams as fast as the reader pulls. */
  delayPerWordMs?: number;
}

export class OfflineCoachModel implements LanguageModelV3 {
  readonly specificationVersion = 'v3' as const;
  readonly provider = 'offline';
  readonly modelId: string;
  readonly supportedUrls: Record<string, RegExp[]> = {};
  private readonly delayPerWordMs: number;

  constructor(modelId: string = OFFLINE_COACH_MODEL_ID, options: OfflineCoachOptions = {}) {
    this.modelId = modelId;
    this.delayPerWordMs = options.delayPerWordMs ?? 0;
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    options.abortSignal?.throwIfAborted();
    const reply = replyFor(options);
    return {
      content: [{ type: 'text', text: reply.text }],
      finishReason: reply.finishReason,
      usage: reply.usage,
      warnings: warningsFor(options),
      response: { modelId: this.modelId },
    };
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    options.abortSignal?.throwIfAborted();
    const reply = replyFor(options);
    const deltas = splitIntoWordDeltas(reply.text);
    const warnings = warningsFor(options);
    const modelId = this.modelId;
    const delayMs = this.delayPerWordMs;
    const textId = 'text-0';
    let index = 0;
    // pull-based so a slow reader (or an abort) stops generation instead of buffering the whole reply.
    const stream = new ReadableStream<LanguageModelV3StreamPart>({
      start(controller) {
        controller.enqueue({ type: 'stream-start', warnings });
        controller.enqueue({ type: 'response-metadata', modelId });
        controller.enqueue({ type: 'text-start', id: textId });
      },
      async pull(controller) {
        if (options.abortSignal?.aborted) {
          controller.error(options.abortSignal.reason);
          return;
        }
        if (index < deltas.length) {
          if (delayMs > 0 && index > 0) await sleep(delayMs);
          controller.enqueue({ type: 'text-delta', id: textId, delta: deltas[index] });
          index += 1;
          return;
        }
        controller.enqueue({ type: 'text-end', id: textId });
        controller.enqueue({ type: 'finish', usage: reply.usage, finishReason: reply.finishReason });
        controller.close();
      },
    });
    return { stream };
  }
}

interface OfflineReply {
  text: string;
  usage: LanguageModelV3Usage;
  finishReason: LanguageModelV3FinishReason;
}

function replyFor(options: LanguageModelV3CallOptions): OfflineReply {
  const system = systemText(options.prompt);
  // In another language than English the reply is written in it, or says first that it is in English (composeOfflineReply).
  const full = composeOfflineReply({ system, lastUserMessage: lastUserText(options.prompt), earlierReplies: assistantTexts(options.prompt) });
  const { text, truncated } = truncateToTokens(full, options.maxOutputTokens);
  const inputTokens = estimateTokens(promptText(options.prompt));
  const outputTokens = estimateTokens(text);
  return {
    text,
    finishReason: truncated ? { unified: 'length', raw: 'length' } : { unified: 'stop', raw: 'stop' },
    usage: {
      inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: outputTokens, text: outputTokens, reasoning: undefined },
    },
  };
}

function systemText(prompt: LanguageModelV3Prompt): string {
  return prompt
    .filter((m) => m.role === 'system')
    .map((m) => m.content)
    .join('\n\n');
}

function lastUserText(prompt: LanguageModelV3Prompt): string {
  for (let i = prompt.length - 1; i >= 0; i--) {
    const message = prompt[i];
    if (message.role === 'user') return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
  }
  return '';
}

/** The coach's earlier replies in this conversation, oldest first (a follow-up does not repeat them). */
function assistantTexts(prompt: LanguageModelV3Prompt): string[] {
  return prompt
    .filter((m) => m.role === 'assistant')
    .map((m) => (typeof m.content === 'string' ? m.content : m.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n')));
}

function promptText(prompt: LanguageModelV3Prompt): string {
  return prompt
    .map((m) =>
      typeof m.content === 'string' ? m.content : m.content.map((part) => ('text' in part ? part.text : '')).join('\n'),
    )
    .join('\n');
}

function truncateToTokens(text: string, maxOutputTokens: number | undefined): { text: string; truncated: boolean } {
  if (maxOutputTokens === undefined || estimateTokens(text) <= maxOutputTokens) return { text, truncated: false };
  const cut = text.slice(0, maxOutputTokens * 4);
  const lastSpace = cut.lastIndexOf(' ');
  return { text: lastSpace > 0 ? cut.slice(0, lastSpace) : cut, truncated: true };
}

/** Word-sized deltas that keep their trailing whitespace, so joining them gives back the exact text. */
export function splitIntoWordDeltas(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text.length > 0 ? [text] : []);
}

function warningsFor(options: LanguageModelV3CallOptions): SharedV3Warning[] {
  const warnings: SharedV3Warning[] = [];
  if (options.tools && options.tools.length > 0) warnings.push({ type: 'unsupported', feature: 'tools' });
  if (options.responseFormat?.type === 'json') warnings.push({ type: 'unsupported', feature: 'responseFormat' });
  return warnings;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
