// Retrieval for one turn, with the safety screen on passages: a passage the pack linter flagged
// stays quoted but marked (the model may cite it, never follow it); a passage the classifier reads
// as an injection or jailbreak attempt is dropped from the prompt altogether and recorded.
import { retrieveCulturePassages } from '~/.server/culture/retrieve';
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
}

export type PassageRetriever = (input: { tenantId: string; query: string; k?: number; policy?: ModelPolicy }) => Promise<{
  packVersion: { id: string; number: number } | null;
  passages: RetrievedPassage[];
  embeddingModel: string | null;
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
}

export const PASSAGES_PER_TURN = 5;

export async function retrievePassagesForTurn(
  { tenantId, query, k = PASSAGES_PER_TURN, policy }: { tenantId: string; query: string; k?: number; policy?: ModelPolicy },
  retrieve: PassageRetriever = retrieveCulturePassages as unknown as PassageRetriever,
): Promise<ScreenedPassages> {
  let found: Awaited<ReturnType<PassageRetriever>>;
  try {
    found = await retrieve({ tenantId, query, k, ...(policy?.zeroRetentionOnly ? { policy } : {}) });
  } catch (error) {
    return { packVersion: null, embeddingModel: null, passages: [], flaggedIds: [], quarantined: [], error: (error as Error).message };
  }
  return { ...screenPassages(found.passages), packVersion: found.packVersion, embeddingModel: found.embeddingModel ?? null, error: null };
}

export function screenPassages(passages: RetrievedPassage[]): Pick<ScreenedPassages, 'passages' | 'flaggedIds' | 'quarantined'> {
  const kept: RetrievedPassage[] = [];
  const quarantined: ScreenedPassages['quarantined'] = [];
  for (const passage of passages) {
    const verdict = classifyMessage(passage.text);
    if (isManipulationAttempt(verdict)) quarantined.push({ ...passage, ruleIds: verdict.ruleIds });
    else kept.push(passage);
  }
  return { passages: kept, flaggedIds: kept.filter((p) => p.flagged).map((p) => p.chunkId), quarantined };
}
