// Retrieval for one turn, with the safety screen on passages: a passage the pack linter flagged
// stays quoted but marked (the model may cite it, never follow it); a passage the classifier reads
// as an injection or jailbreak attempt is dropped from the prompt altogether and recorded. Then
// answerability: only passages above the calibrated relevance threshold are offered to the coach;
// when none is left, the pack does not cover the question (culture/answerability.ts).
import { assessAnswerability, RELEVANCE_THRESHOLD } from '~/.server/culture/answerability';
import { checkAnswerability, modelUnavailable, rewriteQuery, type GroundingCall, type GroundingContext } from './grounding-model';
import { retrievalText } from '~/.server/culture/gloss';
import { synonymWords } from '~/.server/culture/query-terms';
import { retrieveCulturePassages, type GlossUse } from '~/.server/culture/retrieve';
import type { Embedder } from '~/.server/culture/embed';
import type { LanguageCode } from '~/lib/i18n';
import { analyzeText } from '~/.server/models/text-features';
import { classifyMessage } from '~/.server/safety/classifier';
import { isManipulationAttempt } from '~/lib/safety';
import type { ModelPolicy } from '~/lib/models';

export interface RetrievedPassage {
  chunkId: string;
  document: string;
  heading: string;
  headingPath?: string[];
  text: string;
  score: number;
  version: number | string | null;
  flagged: boolean;
  /** BM25 relevance to the question; a retriever that gives none is not judged (always offered). */
  bm25?: number;
  /** Chunks in the tenant's pack, which the relevance threshold scales with. */
  corpusChunks?: number;
  /** Calibrated answerability score (culture/answerability.ts), when the retriever gives one. */
  answerScore?: number;
}

export type PassageRetriever = (input: { tenantId: string; query: string; followUp?: string; k?: number; policy?: ModelPolicy; language?: LanguageCode | null; embedder?: Embedder }) => Promise<{
  packVersion: { id: string; number: number } | null;
  passages: RetrievedPassage[];
  embeddingModel: string | null;
  /** Retrieval searched with an English gloss of the message (culture/gloss.ts): its languages, never its text. */
  gloss?: GlossUse | null;
}>;

export interface ScreenedPassages {
  packVersion: { id: string; number: number } | null;
  embeddingModel: string | null;
  /** Passages the prompt quotes, best first. */
  passages: RetrievedPassage[];
  /** Linter-flagged passages among them (quoted and marked, never followed). */
  flaggedIds: string[];
  /** Dropped: instruction-like text the classifier caught. */
  quarantined: Array<RetrievedPassage & { ruleIds: string[] }>;
  /** Set when retrieval failed: the turn goes on without passages. */
  error: string | null;
  /**
   * Whether the pack answers the question: false when passages were retrieved but none is
   * relevant enough, or nothing was found; null when there was nothing to search (no pack, or
   * retrieval failed).
   */
  covered: boolean | null;
  /** The best passage's relevance and the threshold it was held to (lineage). */
  relevance: number | null;
  threshold: number;
  /** Retrieved but under the threshold: never offered to the model (ids and scores for lineage). */
  belowThreshold: Array<{ chunkId: string; score: number; bm25: number | null; answerScore?: number | null }>;
  /** With a configured model: the query rewrite and the answerability check (lineage; no text). */
  grounding?: { rewrite: GroundingCall; check?: GroundingCall };
  /** Retrieval read a gloss of the message in the pack's language (lineage; languages and counts, no text). */
  gloss?: GlossUse;
}

/**
 * Passages the model's answerability check reads: those the offline score let through and those
 * just under it (the offline threshold is calibrated to keep answerable questions, so it lets some
 * unrelated passages through; and a rewritten query scores differently).
 */
export const MODEL_CHECK_FLOOR = 0.15;

/** No pack to search: nothing retrieved, nothing judged. */
export const NO_PASSAGES: ScreenedPassages = {
  packVersion: null,
  embeddingModel: null,
  passages: [],
  flaggedIds: [],
  quarantined: [],
  error: null,
  covered: null,
  relevance: null,
  threshold: RELEVANCE_THRESHOLD,
  belowThreshold: [],
};

export const PASSAGES_PER_TURN = 5;

export async function retrievePassagesForTurn(
  {
    tenantId,
    query,
    k = PASSAGES_PER_TURN,
    policy,
    grounding,
    language,
    followUp,
    embedder,
  }: {
    tenantId: string;
    query: string;
    /** A follow-up searched after the message before it: its own text (retrieve.ts, SearchOptions.followUp). */
    followUp?: string;
    k?: number;
    policy?: ModelPolicy;
    grounding?: GroundingContext;
    /** The message's language (or the conversation's, for a message too short to tell): a gloss is searched when it is not the pack's. */
    language?: LanguageCode | null;
    /** Embeds the question (a turn's redacting embedder for a cloud embedding model, ADR 065); unset: the policy's. */
    embedder?: Embedder;
  },
  retrieve: PassageRetriever = retrieveCulturePassages as unknown as PassageRetriever,
): Promise<ScreenedPassages> {
  let found: Awaited<ReturnType<PassageRetriever>>;
  const rewrite = grounding ? await rewriteQuery(grounding, query, { language }) : null;
  // A rewrite is written in the pack's language: its own language is detected, not the message's assumed.
  const rewritten = rewrite?.call.status === 'ok';
  try {
    found = await retrieve({ tenantId, query: rewrite?.query ?? query, ...(followUp && !rewritten ? { followUp } : {}), k, ...(policy?.zeroRetentionOnly ? { policy } : {}), ...(language && !rewritten ? { language } : {}), ...(embedder ? { embedder } : {}) });
  } catch (error) {
    return { ...NO_PASSAGES, error: (error as Error).message };
  }
  const screened = screenPassages(found.passages);
  // A passage with no lexical evidence (a retriever that gives none) is not held to the threshold.
  const verdict = assessAnswerability(screened.passages.map((p) => ({ passage: p, bm25: p.bm25 ?? Number.POSITIVE_INFINITY, corpusChunks: p.corpusChunks, answerScore: p.answerScore })));
  let offered = verdict.supported.map((s) => s.passage);
  let covered = verdict.covered;
  let check: GroundingCall | undefined;
  if (grounding && rewrite) {
    const candidates = screened.passages.filter((p) => p.answerScore === undefined || p.answerScore >= MODEL_CHECK_FLOOR || offered.includes(p));
    // A model that just failed to answer the rewrite (down, timed out) is not asked again this turn:
    // the offline decision stands, within one timeout.
    if (modelUnavailable(rewrite.call)) {
      check = { modelId: rewrite.call.modelId, cached: false, status: 'skipped', reason: 'model unavailable' };
    } else if (candidates.length > 0) {
      const judged = await checkAnswerability(grounding, query, candidates);
      check = judged.call;
      // The model's word when it gave one; the offline decision when it could not.
      if (judged.answering) {
        const answering = new Set(judged.answering);
        offered = candidates.filter((p) => answering.has(p.chunkId));
        covered = offered.length > 0;
      }
    }
  }
  const offeredIds = new Set(offered.map((p) => p.chunkId));
  const judged = screened.passages.filter((p) => p.bm25 !== undefined);
  return {
    packVersion: found.packVersion,
    embeddingModel: found.embeddingModel ?? null,
    passages: offered,
    flaggedIds: screened.flaggedIds.filter((id) => offeredIds.has(id)),
    quarantined: screened.quarantined,
    error: null,
    covered,
    ...(rewrite ? { grounding: { rewrite: rewrite.call, ...(check ? { check } : {}) } } : {}),
    ...(found.gloss ? { gloss: found.gloss } : {}),
    relevance: judged.length > 0 ? Math.max(...judged.map((p) => p.answerScore ?? (p.bm25 as number))) : screened.passages.length > 0 ? null : 0,
    threshold: verdict.threshold,
    belowThreshold: screened.passages.filter((p) => !offeredIds.has(p.chunkId)).map((p) => ({ chunkId: p.chunkId, score: p.score, bm25: p.bm25 ?? null, answerScore: p.answerScore ?? null })),
  };
}

/**
 * The classifier's verdict on a passage's text. Pack passages are immutable and come back turn
 * after turn, and the classifier is a pure function of the text: classifying the same five or six
 * passages on every turn was the largest CPU cost before the first token (docs/decisions/039).
 */
const passageVerdicts = new Map<string, ReturnType<typeof classifyMessage>>();
const MAX_CACHED_VERDICTS = 4096;

function passageVerdict(text: string): ReturnType<typeof classifyMessage> {
  let verdict = passageVerdicts.get(text);
  if (!verdict) {
    verdict = classifyMessage(text);
    if (passageVerdicts.size >= MAX_CACHED_VERDICTS) passageVerdicts.delete(passageVerdicts.keys().next().value!);
    passageVerdicts.set(text, verdict);
  }
  return verdict;
}

export function screenPassages(passages: RetrievedPassage[]): Pick<ScreenedPassages, 'passages' | 'flaggedIds' | 'quarantined'> {
  const kept: RetrievedPassage[] = [];
  const quarantined: ScreenedPassages['quarantined'] = [];
  for (const passage of passages) {
    const verdict = passageVerdict(passage.text);
    if (isManipulationAttempt(verdict)) quarantined.push({ ...passage, ruleIds: verdict.ruleIds });
    else kept.push(passage);
  }
  return { passages: kept, flaggedIds: kept.filter((p) => p.flagged).map((p) => p.chunkId), quarantined };
}

/**
 * A cited passage must share at least one content word with the question (its own words or the
 * thesaurus's, stemmed and canonicalised as the offline models do): a citation that shares nothing
 * cannot support the sentence it follows, so it is dropped (and recorded in lineage).
 */
export function splitCitationsBySupport<T extends { document: string; heading: string; text: string }>(
  citations: T[],
  question: string,
  language?: LanguageCode | null,
): { kept: T[]; dropped: T[] } {
  // A question in another language than the pack's is compared through its gloss, as retrieval read it.
  const words = retrievalText(question, language);
  const asked = new Set(analyzeText(`${words} ${synonymWords(words)}`));
  const kept: T[] = [];
  const dropped: T[] = [];
  for (const citation of citations) {
    const shares = analyzeText(`${citation.document} ${citation.heading} ${citation.text}`).some((term) => asked.has(term));
    (shares ? kept : dropped).push(citation);
  }
  return { kept, dropped };
}
