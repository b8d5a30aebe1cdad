// Redaction before a prompt leaves Rapport (issue 12, ADR 021). For one chat turn, every model that is not
// local is wrapped so that (1) the people's names, emails, phones, employee ids and addresses in the
// conversation — the user's messages, earlier answers and the summary of older turns — are replaced with the
// shared anonymizer's placeholders before the request is built, and (2) the streamed reply is rehydrated as it
// streams, so everything after the model (output guard, citations, the stored answer, the browser) sees real
// names. The composed system prompt (safety rules, the tenant's policy passages, tone, persona) is company
// text and is sent as is. Local models and the offline coach are not wrapped: they get the real text.
import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3Prompt, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { wrapLanguageModel, type LanguageModel } from 'ai';
import type { Embedder } from '~/.server/culture/embed';
import { isLocalModel, type ModelEnv } from '~/.server/models/providers';
import { Anonymizer, countPlaceholders, createStreamingRehydrator, ENTITY_TYPES, type EntityCounts } from './anonymize';

/** Appended to the system prompt of a redacted request, so the model keeps placeholders intact. */
export const PLACEHOLDER_NOTE =
  'Personal details in this conversation were replaced with placeholders such as [PERSON_1] or [EMAIL_1] before it reached you. ' +
  'Refer to people and details by exactly these placeholders, unchanged; never guess what they stand for.';

/** The external calls of a turn that get redacted text. */
export type RedactedPurpose = 'chat' | 'grounding' | 'embedding' | 'moderation' | 'judge';

/** One external model of the turn, for one purpose: how many requests it got and what was replaced in them. */
export interface RedactedCall {
  purpose: RedactedPurpose;
  modelId: string;
  requests: number;
  /** Distinct entities replaced in what this model received for this purpose, per type (only types that occurred). */
  counts: Partial<EntityCounts>;
}

/** What lineage records about redaction: that it happened, to which models, and counts per type — never the entities. */
export interface RedactionRecord {
  enabled: boolean;
  /** Catalogue ids of the models that received redacted text (empty when only local models were called). */
  redactedFor: string[];
  /** Distinct entities replaced over the whole turn, per type (only types that occurred). */
  counts: Partial<EntityCounts>;
  /**
   * ADR 062 (session 13): every external call of the turn — chat (each model of the fallback chain that was asked),
   * grounding (query rewrite and answerability check), the question's embedding and the safety model — with its own
   * counts per type. Before, the grounding call had an anonymizer of its own and its counts reached no record.
   */
  calls: RedactedCall[];
}

export interface TurnRedaction {
  /** Wraps resolveModel: non-local models get redacted prompts and rehydrated replies (purpose: 'chat' unless given). */
  resolveModel: (modelId: string, purpose?: RedactedPurpose) => LanguageModel;
  /**
   * One text for an external model that is not a language model call (the safety model's moderation request): the
   * turn's placeholders, recorded as a call. The text as written when redaction is off or the model is local.
   */
  redactText(text: string, modelId: string, purpose: RedactedPurpose): string;
  /**
   * The embedder for the turn's question, when it must not get the real text: a non-local embedding model gets the
   * question with the same placeholders as the chat call (ADR 065). Null when the embedder is local or redaction is
   * off (the caller keeps its usual embedder). Pack chunks are company text and are embedded as written.
   */
  questionEmbedder(embedder: Embedder): Embedder | null;
  record(): RedactionRecord;
}

export function redactTurn(opts: {
  enabled: boolean;
  env: ModelEnv;
  /** Resolves a catalogue id to a model (the production resolver or a test's). */
  resolveModel: (modelId: string) => LanguageModel;
  /** The tenant's country: phone numbers without a country code are read by its rules. */
  country?: string | null;
  /** ADR 062 (session 14): the tenant's own words (companyWords), never replaced nor counted. */
  keep?: readonly string[];
  /**
   * ADR 062 (session 14): the texts were anonymized before (a shared copy for the judge): count every placeholder a
   * request holds, not only those written for it.
   */
  countSent?: boolean;
  /**
   * The conversation so far, oldest first, read before the first external call: placeholders are numbered in the
   * order people appear in the conversation whichever call comes first (the safety model gets only the new message).
   */
  conversation?: () => { texts: string[]; authors: Array<'person' | 'coach'> };
}): TurnRedaction {
  // One anonymizer per turn: every attempt in the fallback chain, the grounding calls, the question's embedding and the
  // safety model see the same placeholders.
  const anonymizer = new Anonymizer({ country: opts.country ?? undefined, keep: opts.keep });
  const redactedFor: string[] = [];
  // Per model and purpose, the placeholders its requests held (a model asked twice for one purpose — the grounding
  // model's rewrite, then its answerability check — counts the people of both once). Only in memory; lineage gets counts.
  const calls = new Map<string, { purpose: RedactedPurpose; modelId: string; requests: number; placeholders: Set<string> }>();
  const noteCall = (purpose: RedactedPurpose, modelId: string, placeholders: ReadonlySet<string>) => {
    if (!redactedFor.includes(modelId)) redactedFor.push(modelId);
    const key = `${purpose}\u0000${modelId}`;
    let call = calls.get(key);
    if (!call) calls.set(key, (call = { purpose, modelId, requests: 0, placeholders: new Set() }));
    call.requests += 1;
    for (const p of placeholders) call.placeholders.add(p);
  };
  let primed = !opts.conversation;
  const prime = () => {
    if (primed) return;
    primed = true;
    const { texts, authors } = opts.conversation!();
    anonymizer.anonymizeAll(texts, authors);
  };
  const external = (modelId: string) => {
    const redacted = opts.enabled && !isLocalModel(modelId, opts.env);
    if (redacted) prime();
    return redacted;
  };
  return {
    resolveModel(modelId, purpose = 'chat') {
      const model = opts.resolveModel(modelId);
      if (!external(modelId) || typeof model === 'string' || model.specificationVersion !== 'v3') return model;
      return redactingModel(model as LanguageModelV3, anonymizer, (placeholders) => noteCall(purpose, modelId, placeholders), { countSent: opts.countSent });
    },
    redactText(text, modelId, purpose) {
      if (!external(modelId)) return text;
      const { value, placeholders } = anonymizer.collect(() => anonymizer.anonymize(text));
      noteCall(purpose, modelId, placeholders);
      return value;
    },
    questionEmbedder(embedder) {
      if (!opts.enabled || embedder.provider === 'offline' || isLocalModel(embedder.modelId, opts.env)) return null;
      return {
        ...embedder,
        embed(texts, onBatch) {
          prime();
          const { value, placeholders } = anonymizer.collect(() => anonymizer.anonymizeAll(texts, texts.map(() => 'person')));
          noteCall('embedding', embedder.modelId, placeholders);
          return embedder.embed(value, onBatch);
        },
      };
    },
    record() {
      // Over the whole turn: what any call received (not what was only read to number the conversation).
      const sent = new Set<string>();
      for (const c of calls.values()) for (const p of c.placeholders) sent.add(p);
      return {
        enabled: opts.enabled,
        redactedFor: [...redactedFor],
        counts: nonZero(countPlaceholders(sent)),
        calls: [...calls.values()].map((c) => ({ purpose: c.purpose, modelId: c.modelId, requests: c.requests, counts: nonZero(countPlaceholders(c.placeholders)) })),
      };
    },
  };
}

function nonZero(counts: EntityCounts): Partial<EntityCounts> {
  const out: Partial<EntityCounts> = {};
  for (const type of ENTITY_TYPES) if (counts[type] > 0) out[type] = counts[type];
  return out;
}

/** A model whose requests are anonymized and whose streamed (and generated) text is rehydrated. */
export function redactingModel(
  model: LanguageModelV3,
  anonymizer: Anonymizer,
  onRedacted: (placeholders: ReadonlySet<string>) => void = () => {},
  options: { countSent?: boolean } = {},
): LanguageModelV3 {
  return wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: 'v3',
      transformParams: async ({ params }) => {
        const { value, placeholders } = anonymizer.collect(() => redactParams(params, anonymizer));
        onRedacted(options.countSent ? new Set([...placeholders, ...placeholdersIn(value)]) : placeholders);
        return value;
      },
      wrapGenerate: async ({ doGenerate }) => {
        const result = await doGenerate();
        const mapping = anonymizer.mapping;
        return {
          ...result,
          content: result.content.map((part) => (part.type === 'text' ? { ...part, text: rehydrateAll(part.text, mapping) } : part)),
        };
      },
      wrapStream: async ({ doStream }) => {
        const { stream, ...rest } = await doStream();
        return { ...rest, stream: stream.pipeThrough(rehydrateStream(anonymizer.mapping)) };
      },
    },
  });
}

const SENT_PLACEHOLDER = /\[(?:PERSON|EMAIL|PHONE|EMPLOYEE_ID|ADDRESS|SITE)_\d+\]/g;

/** The placeholders the conversation texts of a request hold (the system prompt's note names examples only). */
function placeholdersIn(params: LanguageModelV3CallOptions): Set<string> {
  const found = new Set<string>();
  params.prompt.forEach((message, index) => {
    if (index === 0 && message.role === 'system') return;
    const texts = message.role === 'system' ? [message.content] : message.role === 'user' || message.role === 'assistant' ? message.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])) : [];
    for (const text of texts) for (const m of text.matchAll(SENT_PLACEHOLDER)) found.add(m[0]);
  });
  return found;
}

/**
 * ADR 062 (session 14): an external call made after the turn about its answer (the judge of a shared copy or of an
 * evaluation case) joins that answer's lineage record: its calls are added (a call of the same purpose and model is
 * replaced, so judging again does not add one), the models are listed, and the turn's counts per type are the larger of
 * the two (the judge's anonymizer numbers people apart from the turn's, so distinct entities cannot be matched up).
 */
export function mergeRedactionRecords(turn: RedactionRecord | undefined, later: RedactionRecord): RedactionRecord {
  const base: RedactionRecord = turn ? { ...turn, calls: turn.calls ?? [] } : { enabled: later.enabled, redactedFor: [], counts: {}, calls: [] };
  const counts: Partial<EntityCounts> = { ...base.counts };
  for (const type of ENTITY_TYPES) {
    const n = Math.max(base.counts[type] ?? 0, later.counts[type] ?? 0);
    if (n > 0) counts[type] = n;
  }
  const replaced = (c: RedactedCall) => later.calls.some((l) => l.purpose === c.purpose && l.modelId === c.modelId);
  return {
    enabled: base.enabled || later.enabled,
    redactedFor: [...new Set([...base.redactedFor, ...later.redactedFor])],
    counts,
    calls: [...base.calls.filter((c) => !replaced(c)), ...later.calls],
  };
}

/** The prompt with every conversation text anonymized together (one numbering); the first system message kept. */
export function redactParams(params: LanguageModelV3CallOptions, anonymizer: Anonymizer): LanguageModelV3CallOptions {
  const prompt = params.prompt;
  const texts: string[] = [];
  const authors: Array<'person' | 'coach'> = [];
  const isCompanyText = (index: number) => index === 0 && prompt[0]?.role === 'system';
  prompt.forEach((message, index) => {
    if (isCompanyText(index)) return;
    if (message.role === 'system') {
      texts.push(message.content);
      authors.push('person');
    } else if (message.role === 'user' || message.role === 'assistant') {
      for (const part of message.content) {
        if (part.type !== 'text') continue;
        texts.push(part.text);
        authors.push(message.role === 'assistant' ? 'coach' : 'person');
      }
    }
  });
  const redacted = anonymizeWithPassages(texts, authors, anonymizer);
  let next = 0;
  const out: LanguageModelV3Prompt = prompt.map((message, index) => {
    if (isCompanyText(index)) return { ...message, content: `${message.content}\n\n${PLACEHOLDER_NOTE}` } as typeof message;
    if (message.role === 'system') return { ...message, content: redacted[next++] };
    if (message.role === 'user') return { ...message, content: message.content.map((p) => (p.type === 'text' ? { ...p, text: redacted[next++] } : p)) };
    if (message.role === 'assistant') return { ...message, content: message.content.map((p) => (p.type === 'text' ? { ...p, text: redacted[next++] } : p)) };
    return message;
  });
  if (!isCompanyText(0)) out.unshift({ role: 'system', content: PLACEHOLDER_NOTE });
  return { ...params, prompt: out };
}

// ADR 062 (session 12): policy passages quoted inside a message (the grounding model's answerability check puts them
// after the question as <passage …>…</passage>) are company text: only what the exchange already knows is replaced
// there ("Marcus" from the question), nothing new is detected — "Keep it clean" is not a person.
const PASSAGE_BLOCK = /<passage\b[^>]*>[^]*?<\/passage>/g;

/** texts anonymized together, passages inside them only for the exchange's known details (after the rest). */
export function anonymizeWithPassages(texts: readonly string[], authors: ReadonlyArray<'person' | 'coach'>, anonymizer: Anonymizer): string[] {
  const pieces = texts.map((text) => {
    const parts: Array<{ text: string; passage: boolean }> = [];
    let last = 0;
    for (const m of text.matchAll(PASSAGE_BLOCK)) {
      if (m.index! > last) parts.push({ text: text.slice(last, m.index!), passage: false });
      parts.push({ text: m[0], passage: true });
      last = m.index! + m[0].length;
    }
    if (last < text.length || parts.length === 0) parts.push({ text: text.slice(last), passage: false });
    return parts;
  });
  const outside = pieces.flatMap((parts, i) => parts.filter((p) => !p.passage).map((p) => ({ text: p.text, author: authors[i] ?? 'person' })));
  const done = anonymizer.anonymizeAll(outside.map((o) => o.text), outside.map((o) => o.author));
  let k = 0;
  return pieces.map((parts) => parts.map((p) => (p.passage ? anonymizer.anonymizeKnown(p.text) : done[k++])).join(''));
}

function rehydrateAll(text: string, mapping: Readonly<Record<string, string>>): string {
  const rehydrator = createStreamingRehydrator(mapping);
  return rehydrator.push(text) + rehydrator.flush();
}

/**
 * Rehydrates text deltas per text block as they stream: a placeholder split across deltas is held until it is
 * whole; what is held when the block ends is released as written (an invented [PERSON_9] stays as it is).
 */
export function rehydrateStream(mapping: Readonly<Record<string, string>>): TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart> {
  const open = new Map<string, ReturnType<typeof createStreamingRehydrator>>();
  const rehydratorFor = (id: string) => {
    let r = open.get(id);
    if (!r) open.set(id, (r = createStreamingRehydrator(mapping)));
    return r;
  };
  return new TransformStream({
    transform(part, controller) {
      if (part.type === 'text-delta') {
        const ready = rehydratorFor(part.id).push(part.delta);
        if (ready) controller.enqueue({ ...part, delta: ready });
        return;
      }
      if (part.type === 'text-end') {
        const rest = open.get(part.id)?.flush() ?? '';
        open.delete(part.id);
        if (rest) controller.enqueue({ type: 'text-delta', id: part.id, delta: rest });
      }
      controller.enqueue(part);
    },
    flush(controller) {
      // A stream that broke off before text-end still releases what it held.
      for (const [id, r] of open) {
        const rest = r.flush();
        if (rest) controller.enqueue({ type: 'text-delta', id, delta: rest });
      }
      open.clear();
    },
  });
}
