// Retrieval from a tenant's culture pack: ONE tenant-scoped SQL statement (inside withTenant, so
// row-level security applies) that takes the pgvector cosine top-N through the model's HNSW
// index and the Postgres full-text top-N (of the question's rarer terms), and fuses them by
// reciprocal rank. pack_chunk is partitioned by tenant, so both branches read only the tenant's
// own graph and GIN index. Near-duplicate passages are then dropped (fusion.ts). Excluded chunks
// are never returned; instruction-like chunks come back with flagged: true so the prompt quotes
// them as data only.
import type { Tx } from '~/.server/db/client';
import { literal, tenantRoundTrip, uuidLiteral } from '~/.server/db/round-trip';
import { withTenant } from '~/.server/db/tenant';
import { recordUsageEvent } from '~/.server/metering/usage';
import type { Norm, SupportResources, Tone } from '~/lib/culture';
import type { ModelPolicy } from '~/lib/models';
import { resolveEmbedder, vectorCast, type Embedder } from './embed';
import { answerFeaturesOf, answerScoreOf, namesIn, nounsIn, topicNounsOf, type QuestionTerm } from './answerability';
import { dropNearDuplicates } from './fusion';
import { glossForRetrieval, type Gloss } from './gloss';
import type { LanguageCode } from '~/lib/i18n';
import { askContextOf, searchableText, searchWords, synonymWords, SYNONYM_WEIGHT, TEXT_SEARCH_CONFIG } from './query-terms';

export { questionWords } from './query-terms';
import { draftIn } from './versions';
import { cpuMark } from '~/.server/cpu-marks';

export type RetrievedPassage = {
  chunkId: string;
  /** The document's title, for citations. */
  document: string;
  /** Innermost heading (or the title when the passage has none). */
  heading: string;
  headingPath: string[];
  text: string;
  /** Reciprocal-rank-fusion score (higher is better; only the order is meaningful). */
  score: number;
  /** BM25 of the passage for the question (0 when the full-text branch did not rank it). */
  bm25: number;
  /** Distinct question terms the passage holds, and how many of them in its title or headings. */
  matchedTerms: number;
  titleTerms: number;
  /** Cosine similarity of the passage's and the question's embeddings. */
  similarity: number;
  /** The question's total IDF over the terms the pack knows (the most BM25 it could reach, divided by k1 + 1). */
  questionIdf: number;
  /** Chunks in the tenant's corpus (BM25's N): IDF, and so the answerability threshold, scale with its log. */
  corpusChunks: number;
  /** Share of the question's IDF-weighted content the passage holds (answerability.ts). */
  coverage: number;
  /** Calibrated probability that the passage answers the question (answerability.ts). */
  answerScore: number;
  /** Published version number; 0 for the draft. */
  version: number;
  flagged: boolean;
};

export const DEFAULT_K = 6;
/** Reciprocal rank fusion constant (Cormack et al.); the same as fusion.ts. */
const RRF_K = 60;

export async function retrieveCulturePassages(opts: {
  tenantId: string;
  query: string;
  k?: number;
  target?: 'published' | 'draft';
  /** The tenant's model policy (zero-retention only picks the embedder). */
  policy?: ModelPolicy;
  /** The message's language when the caller knows it (searchPack). */
  language?: LanguageCode | null;
  /** A follow-up searched after the message before it: its own text (SearchOptions.followUp). */
  followUp?: string;
  /** The question's embedder when the caller chooses it (a chat turn's redacting one, ADR 065); else the policy's. */
  embedder?: Embedder;
}): Promise<{ packVersion: { id: string; number: number } | null; passages: RetrievedPassage[]; embeddingModel: string; gloss: GlossUse | null }> {
  return withoutSearchDetails(await searchPack(opts));
}

export type SearchHit = RetrievedPassage & { documentName: string; matchedLexemes: string[] };

/** That retrieval searched with an English gloss of the message (gloss.ts, ADR 049): languages and word counts, never text. */
export type GlossUse = Omit<Gloss, 'text'>;

/** retrieveCulturePassages plus each passage's file name (benchmarks, the preview page). */
export async function searchPack(opts: SearchOptions): Promise<SearchResult> {
  const prepared = await prepareSearch(opts);
  if ('empty' in prepared) return prepared.empty;
  // The published version (every chat turn): one round trip — role, tenant, settings and the statement in one
  // simple-protocol message. The draft (preview, CLI) is created when missing, so it takes a transaction.
  const query: Promise<Array<{ result: HybridResult }>> =
    (opts.target ?? 'published') === 'published'
      ? tenantRoundTrip<{ result: HybridResult }>(opts.tenantId, prepared.statements)
      : withTenant(opts.tenantId, async (tx) => {
          const draft = await draftIn(tx, opts.tenantId);
          const results = (await tx.unsafe(prepared.statementsFor(draft.id).join(';\n')).simple()) as unknown as Array<Array<{ result: HybridResult }>>;
          return results[results.length - 1];
        });
  const [rows, analysis] = await whileQueryRuns(query, prepared.analyse);
  return prepared.read(rows[0], analysis);
}

type SearchOptions = {
  tenantId: string;
  query: string;
  /**
   * For a follow-up searched after the message before it (follow-up.ts): the follow-up's own text. When it names a
   * topic the pack never uses, the earlier story does not carry a passage over the threshold (ADR 061).
   */
  followUp?: string;
  k?: number;
  target?: 'published' | 'draft';
  embedder?: Embedder;
  policy?: ModelPolicy;
  /**
   * The message's language when the caller knows it (a chat turn: the message's or the conversation's);
   * otherwise it is detected. A message in another language than the pack's is searched through its
   * gloss (gloss.ts); one in the pack's language exactly as before.
   */
  language?: LanguageCode | null;
};

type SearchResult = { packVersion: { id: string; number: number } | null; passages: SearchHit[]; embeddingModel: string; gloss: GlossUse | null; questionTerms?: QuestionTerm[]; names?: string[]; nouns?: string[] };

/** The message's names, nouns and question (answerability): CPU, not SQL — done while the database searches. */
type QuestionAnalysis = { names: Set<string>; nouns: Set<string>; ask: ReturnType<typeof askContextOf> };

/**
 * A search of the tenant's published version, ready to go: the statements (with the embedded question inlined)
 * for a round trip of the caller's — the chat turn sends them with its budget hold (coach/turn-round-trip.ts) —
 * and how to read the hybrid statement's row. The embedding is done here, before any unit of work.
 */
export interface PreparedSearch {
  embeddingModel: string;
  /** The published version's search: vector-search settings, then the hybrid statement (its row is the last). */
  statements: string[];
  statementsFor(versionId: string | null): string[];
  analyse(): QuestionAnalysis;
  read(row: { result: HybridResult } | undefined, analysis: QuestionAnalysis): SearchResult;
}

export async function prepareSearch(opts: SearchOptions): Promise<PreparedSearch | { empty: SearchResult }> {
  const k = Math.min(Math.max(Math.trunc(opts.k ?? DEFAULT_K), 1), 50);
  const embedder = opts.embedder ?? resolveEmbedder(undefined, opts.policy);
  const message = opts.query.trim().slice(0, 2000);
  const glossed = message ? glossForRetrieval(message, { language: opts.language }) : null;
  // Everything below (embedding, terms, thesaurus, nouns, asking sentences) reads the gloss when there is one.
  // E-mail addresses and links are contact details, never the topic (an address in a lateness question read as topics).
  const query = searchableText(glossed?.text || message);
  const gloss: GlossUse | null = glossed?.text ? { language: glossed.language, packLanguage: glossed.packLanguage, glossed: glossed.glossed, kept: glossed.kept } : null;
  const empty: SearchResult = { packVersion: null, passages: [], embeddingModel: embedder.modelId, gloss };
  // The follow-up's own words as retrieval reads them (through its gloss when the message is glossed).
  const followUp = opts.followUp?.trim() ? (glossed?.text ? glossForRetrieval(opts.followUp, { language: opts.language })?.text || opts.followUp : opts.followUp) : null;
  if (!query) return { empty };

  // Embed before the unit of work: never hold a transaction across a model call.
  const started = Date.now();
  const { vectors, tokens } = await embedder.embed([query]);
  if (embedder.provider !== 'offline') {
    // Offline query embeddings are free and per-turn usage is metered by the chat; paid ones are recorded.
    await recordUsageEvent({ tenantId: opts.tenantId, userId: null, purpose: 'embedding', provider: embedder.provider, modelId: embedder.modelId, inputTokens: tokens, outputTokens: 0, latencyMs: Date.now() - started, status: 'ok' });
  }

  const search = {
    tenantId: opts.tenantId,
    vector: vectors[0],
    embedder,
    vectorWeight: vectorWeightFor(embedder),
    words: searchWords(query),
    synonyms: synonymWords(query),
    candidates: Math.max(k * 4, 24),
  };
  const statementsFor = (versionId: string | null) => [vectorSearchSettings(search.candidates), hybridStatement({ ...search, versionId })];
  return {
    embeddingModel: embedder.modelId,
    statements: statementsFor(null),
    statementsFor,
    analyse: () => ({ names: namesIn(query), nouns: nounsIn(query), ask: askContextOf(query) }),
    read(row, { names, nouns, ask }) {
      const result = row?.result;
      if (!result?.version) return empty;
      const version = result.version;
      const distinct = dropNearDuplicates(result.passages.map((r) => ({ ...r, id: r.chunkId })), 0.9, k);
      const questionTerms = result.passages.length ? result.questionTerms : [];
      // A follow-up that names a topic the pack never uses ("can she get a parking space closer to the door instead?"
      // after a lateness story) is not answered from the previous message's document: no passage is offered.
      const newTopic = followUp !== null && namesTopicThePackLacks(followUp, questionTerms, ask.synonyms);
      return {
        packVersion: { id: version.id, number: version.number },
        embeddingModel: embedder.modelId,
        gloss,
        questionTerms,
        names: [...names],
        nouns: [...nouns],
        // Best answer first (ADR 032): the fused ranks find the candidates; the answer score, which reads
        // the question's focus, orders them (out-of-fold on dev narratives: hit@1 0.760 → 0.801, hit@3 the same).
        passages: distinct
          .map(({ id: _id, ...r }) => {
            const features = answerFeaturesOf(r, questionTerms, names, nouns, ask);
            return { ...r, coverage: round(features.coverage), answerScore: newTopic ? 0 : round(answerScoreOf(features)), version: version.number };
          })
          .sort((a, b) => b.answerScore - a.answerScore),
      };
    },
  };
}

/**
 * Whether a follow-up names a topic noun that the pack never uses and the thesaurus has no policy word for (a word the
 * statement returned no count for — cut from a long search text — is not judged).
 */
export function namesTopicThePackLacks(followUp: string, terms: readonly QuestionTerm[], synonyms: ReadonlyMap<string, readonly string[]>): boolean {
  const chunks = new Map(terms.map((t) => [t.word, t.chunks]));
  return [...topicNounsOf(followUp)].some((noun) => chunks.get(noun) === 0 && !synonyms.has(noun));
}

/** Passages of a search without the fields only benchmarks and the preview read. */
export function withoutSearchDetails(result: SearchResult): { packVersion: { id: string; number: number } | null; passages: RetrievedPassage[]; embeddingModel: string; gloss: GlossUse | null } {
  return {
    packVersion: result.packVersion,
    embeddingModel: result.embeddingModel,
    gloss: result.gloss,
    passages: result.passages.map(({ documentName: _name, matchedLexemes: _matched, ...passage }) => passage),
  };
}

/**
 * Lets postgres.js send `query` (a statement over 1 KB is written as soon as it is queued, a shorter one on
 * setImmediate), then runs `work` while the database answers: CPU work that does not depend on the reply
 * no longer adds to the wait (the noun tagger's ≈ 2 ms ran before the retrieval statement was sent).
 */
export async function whileQueryRuns<T, W>(query: Promise<T>, work: () => W): Promise<[T, W]> {
  // Rejections are taken by the await below; until then the promise must not count as unhandled.
  query.catch(() => {});
  await new Promise((resolve) => setImmediate(resolve));
  const done = work();
  cpuMark('question-analysed');
  return [await query, done];
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

interface HybridSearch {
  tenantId: string;
  /** The version to search; null: the tenant's published version (looked up in the statement). */
  versionId: string | null;
  vector: number[];
  embedder: Pick<Embedder, 'modelId' | 'dimensions'>;
  /** Weight of the vector branch in the fusion (vectorWeightFor). */
  vectorWeight: number;
  /** searchWords() and synonymWords() of the message (query-terms.ts). */
  words: string;
  synonyms: string;
  candidates: number;
}

type Passage = Omit<SearchHit, 'version' | 'coverage' | 'answerScore'>;

/** The hybrid statement's one row: the version searched (null: none), the question's words and the passages. */
type HybridResult = { version: { id: string; number: number } | null; questionTerms: QuestionTerm[]; passages: Passage[] };

/**
 * HNSW candidate list size. With migration 010's graph (m 32, ef_construction 128) this gives
 * recall@10 ≥ 0.95 on the offline embedder's low-contrast vectors (bench retrieval; 64 gave ≈ 0.8).
 */
export const HNSW_EF_SEARCH = 200;

/**
 * About the most chunks the full-text branch ranks: the question's terms are used rarest first
 * while the chunks they match (document frequencies of the version, migration 017) add up to at most this; the
 * rarest term is always used. A term found in a large share of the chunks barely tells them apart
 * (BM25 gives it an IDF near zero) but matching on it would make the branch score nearly every
 * chunk of the tenant; it still adds to the BM25 score of the chunks found through rarer terms.
 * On a 5,000-chunk tenant this bounds the text branch to a few hundred rows.
 */
export const TEXT_RANK_BUDGET = 250;

/**
 * A title or heading occurrence of a word counts this many body occurrences (bench retrieval-quality).
 * Applied when a chunk is written (migration 014 stores the weighted term frequencies).
 */
export const TITLE_BOOST = 3;

/**
 * Weight of the vector branch in the rank fusion. The offline embedder's feature-hashed vectors
 * mostly add noise to BM25 (dev narratives hit@3: 0.80 at weight 1, 0.93 at 0.05, 0.93 at 0), so
 * they only break ties and bring in what the words miss (typos: character trigrams). A configured
 * embedding model gets the full weight (not measurable offline).
 */
export function vectorWeightFor(embedder: Pick<Embedder, 'provider'>): number {
  return embedder.provider === 'offline' ? 0.05 : 1;
}

/** Session settings of the vector branch (bench retrieval measures recall with them too). */
export async function setVectorSearch(tx: Tx, candidates: number): Promise<void> {
  await tx.unsafe(vectorSearchSettings(candidates)).simple();
}

/** The statement that sets them, for the transaction it runs in (set_config(…, true) is SET LOCAL). */
export function vectorSearchSettings(candidates: number): string {
  // Keep scanning the graph until enough rows pass the version filter (pgvector ≥ 0.8). With a
  // large ef_search on a partition of a few thousand rows, pgvector's cost estimate makes an exact
  // scan and sort look cheaper than the graph (it is not: bench retrieval), so explicit sorts are
  // ruled out where a plan can avoid them: only the index yields rows in distance order. (Every
  // other sort of the statement is unavoidable, so its plans still compete on cost.)
  // JIT off: enable_sort = off adds 10^10 to the cost of every sort left in the plan, which crosses
  // jit_above_cost on a real PostgreSQL server, which then compiled 68 functions with LLVM for a
  // 4 ms query — 1.1 s a retrieval (EXPLAIN ANALYZE: "JIT … Total 903 ms"). PGlite has no JIT.
  const efSearch = Math.trunc(Math.max(candidates * 2, HNSW_EF_SEARCH));
  return `select set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', '${efSearch}', true),
    set_config('enable_sort', 'off', true), set_config('jit', 'off', true)`;
}

/**
 * The one hybrid statement, as SQL text with every value an inlined literal (round-trip.ts), so that it
 * goes with the role, the tenant and the settings in one simple-protocol message. It looks up the version
 * (the published one unless `versionId`) and its ready documents itself. The vector branch repeats the
 * index's cast and predicate so the HNSW index is used; the tenant literal prunes every branch to the
 * tenant's partition of pack_chunk. Each passage carries both retrievers' evidence: cosine similarity to
 * the question and BM25 (0 when the text branch did not rank it), and the question's total IDF, for
 * answerability (answerability.ts). One row, one JSON value: the version (null when there is none to
 * search), the question's words and the passages in rank order.
 */
export function hybridStatement(s: HybridSearch): string {
  const tenant = uuidLiteral(s.tenantId);
  const cast = `c.${vectorCast(s.embedder.dimensions)}`;
  const question = `${literal(`[${s.vector.map(sqlNumber).join(',')}]`)}::vector(${Math.trunc(s.embedder.dimensions)})`;
  const model = literal(s.embedder.modelId);
  const config = `'${TEXT_SEARCH_CONFIG}'::regconfig`;
  const candidates = Math.trunc(s.candidates);
  const versionId = s.versionId === null ? `(select p.published_version_id from culture_pack p where p.tenant_id = ${tenant})` : uuidLiteral(s.versionId);
  return `
    with version as materialized (
      select v.id, coalesce(v.number, 0) as number, v.excluded_chunk_ids as excluded,
        array(select m.document_id from pack_version_document m join pack_document d on d.tenant_id = m.tenant_id and d.id = m.document_id
              where m.tenant_id = v.tenant_id and m.version_id = v.id and d.status = 'ready') as documents
      from pack_version v where v.tenant_id = ${tenant} and v.id = ${versionId}
    ),
    vector_hits as materialized (
      select id, row_number() over (order by distance, id) as rank from (
        select c.id, ${cast} <=> ${question} as distance
        from pack_chunk c
        -- The first condition is a constant: no graph is walked when there is nothing to search.
        where (select cardinality(documents) from version) > 0
          and c.tenant_id = ${tenant} and c.document_id = any((select documents from version)::uuid[]) and c.embedding_model = ${model}
          and not c.id = any((select excluded from version)::uuid[])
        order by ${cast} <=> ${question}
        limit ${candidates}
      ) nearest
    ),
    -- The question's lexemes (its own words and thesaurus synonyms, query-terms.ts) with their weight,
    -- and each of the message's own words with its lexeme.
    asked as materialized (
      select lexeme, max(weight) as weight from (
        select unnest(tsvector_to_array(to_tsvector(${config}, ${literal(s.words)}))) as lexeme, 1.0::float8 as weight
        union all
        select unnest(tsvector_to_array(to_tsvector(${config}, ${literal(s.synonyms)}))), ${sqlNumber(SYNONYM_WEIGHT)}::float8
      ) w group by lexeme
    ),
    own_words as materialized (
      select w.word, w.n, l.lexeme
      from unnest(string_to_array(${literal(s.words)}, ' ')) with ordinality w(word, n)
      cross join lateral unnest(tsvector_to_array(to_tsvector(${config}, w.word))) l(lexeme)
    ),
    -- BM25 statistics of the version searched, and only of it (migration 017): the per-document
    -- counts of its documents, less its excluded chunks. The tenant's other documents (the draft's
    -- uploads, superseded versions) do not count, so the same content always gets the same IDFs.
    excluded_chunks as materialized (
      select c.tsv from pack_chunk c
      where c.tenant_id = ${tenant} and c.id = any((select excluded from version)::uuid[]) and c.document_id = any((select documents from version)::uuid[])
    ),
    corpus as materialized (
      select greatest(d.chunks - x.chunks, 1)::float8 as n,
        greatest(coalesce((d.lexemes - x.lexemes)::float8 / nullif(d.chunks - x.chunks, 0), 1), 1) as avgdl
      from (select coalesce(sum(p.chunks), 0) as chunks, coalesce(sum(p.lexemes), 0) as lexemes from pack_document_corpus p
            where p.tenant_id = ${tenant} and p.document_id = any((select documents from version)::uuid[])) d,
        (select count(*) as chunks, coalesce(sum(length(tsv)), 0) as lexemes from excluded_chunks) x
    ),
    term_chunks as materialized (
      select t.lexeme, (sum(t.chunks) - coalesce((select count(*) from excluded_chunks x where t.lexeme = any(tsvector_to_array(x.tsv))), 0))::int as chunks
      from pack_document_term t
      -- The index finds each lexeme's rows (one per document holding it); the version's documents are
      -- a filter on those few rows. As an index condition too, the two arrays' cross product was
      -- descended one by one (terms × documents: 500 descents, 5 ms at 50 documents).
      where t.tenant_id = ${tenant} and t.lexeme = any(array(select lexeme from asked union select lexeme from own_words))
        and coalesce(t.document_id, t.document_id) = any((select documents from version)::uuid[])
      group by t.lexeme
    ),
    -- The question's lexemes the version holds, with their document frequency and BM25 IDF, rarest
    -- first, and how many chunks the rarer ones match together (an upper bound: a chunk may hold several).
    question_terms as materialized (
      select t.lexeme, q.weight * ln(1 + (corpus.n - t.chunks + 0.5) / (t.chunks + 0.5)) as idf,
        row_number() over (order by t.chunks, t.lexeme) as rarity,
        sum(t.chunks) over (order by t.chunks, t.lexeme) as reach
      from asked q
      join term_chunks t on t.lexeme = q.lexeme and t.chunks > 0
      cross join corpus
    ),
    -- Each of the message's own words with its lexeme and how many of the version's chunks hold it (0:
    -- the pack never uses the word), for answerability (answerability.ts).
    question_words as materialized (
      select coalesce(json_agg(json_build_object('word', w.word, 'lexeme', w.lexeme, 'chunks', coalesce(t.chunks, 0)) order by w.n), '[]'::json) as terms
      from own_words w
      left join term_chunks t on t.lexeme = w.lexeme
    ),
    -- An OR of the rarest terms within the budget, each quoted as a tsquery lexeme.
    text_query as materialized (
      select string_agg('''' || replace(replace(lexeme, chr(92), repeat(chr(92), 2)), '''', '''''') || '''', ' | ')::tsquery as query
      from question_terms
      where reach <= ${TEXT_RANK_BUDGET} or rarity = 1
    ),
    -- GIN-indexed matching and BM25 over the chunks' stored term frequencies, in a function of
    -- migrations 014–016 and 029 (see why there).
    text_hits as materialized (
      select h.id, h.score, h.matched, h.titled, h.lexemes, row_number() over (order by h.score desc, h.id) as rank
      from pack_chunk_bm25_matches(${tenant}, (select query from text_query),
        (select array_agg(lexeme) from question_terms), (select array_agg(idf) from question_terms),
        (select avgdl from corpus), (select documents from version), (select excluded from version), ${candidates}) h
    ),
    -- Materialised with a limit so the planner joins the few fused ids to pack_chunk by key,
    -- instead of scanning all of the tenant's chunks to hash-join them (seen in --explain).
    fused as materialized (
      select coalesce(v.id, t.id) as id,
        coalesce(${sqlNumber(s.vectorWeight)}::float8 / (${RRF_K} + v.rank), 0) + coalesce(1.0 / (${RRF_K} + t.rank), 0) as score,
        least(v.rank, t.rank) as best_rank, coalesce(t.score, 0) as bm25, coalesce(t.matched, 0) as matched, coalesce(t.titled, 0) as titled,
        coalesce(t.lexemes, '{}') as lexemes
      from vector_hits v full join text_hits t on t.id = v.id
      order by score desc
      limit ${candidates * 2}
    ),
    passages as materialized (
      select row_number() over (order by f.score desc, f.best_rank, c.id) as n,
        json_build_object('chunkId', c.id, 'document', c.document_title, 'documentName', d.name, 'headingPath', c.heading_path, 'text', c.text,
          'flagged', c.flagged, 'score', round(f.score::numeric, 6)::float8, 'bm25', round(f.bm25::numeric, 4)::float8,
          'matchedTerms', f.matched, 'titleTerms', f.titled, 'matchedLexemes', f.lexemes,
          'similarity', round((1 - (${cast} <=> ${question}))::numeric, 4)::float8,
          'questionIdf', coalesce((select sum(idf) from question_terms), 0)::float8, 'corpusChunks', (select n from corpus)::int,
          'heading', coalesce(c.heading_path[array_length(c.heading_path, 1)], c.document_title)) as passage
      from fused f
      -- Looked up by key per fused id (offset 0 keeps the planner from turning this into a scan
      -- of every chunk of the tenant, which it otherwise preferred).
      cross join lateral (select * from pack_chunk c where c.tenant_id = ${tenant} and c.id = f.id offset 0) c
      join pack_document d on d.tenant_id = ${tenant} and d.id = c.document_id
      order by f.score desc, f.best_rank, c.id
      limit ${candidates}
    )
    select json_build_object(
      'version', (select json_build_object('id', v.id, 'number', v.number) from version v),
      'questionTerms', (select terms from question_words),
      'passages', coalesce((select json_agg(p.passage order by p.n) from passages p), '[]'::json)) as result`;
}

/** A finite number as SQL text. */
function sqlNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  return String(x);
}

export async function getPublishedCulture(opts: {
  tenantId: string;
}): Promise<{ versionId: string; version: number; tone: Tone; norms: Norm[]; resources: SupportResources } | null> {
  return withTenant(opts.tenantId, async (tx) => {
    const [row] = await tx<{ versionId: string; version: number; tone: Tone; norms: Norm[]; resources: SupportResources }[]>`
      select v.id as "versionId", v.number as version, v.tone, v.norms, v.resources
      from culture_pack p join pack_version v on v.tenant_id = p.tenant_id and v.id = p.published_version_id
      where p.tenant_id = ${opts.tenantId}`;
    return row ?? null;
  });
}
