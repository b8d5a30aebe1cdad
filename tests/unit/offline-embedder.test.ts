import { describe, expect, it } from 'vitest';
import { cosineSimilarity, embed, embedMany } from 'ai';
import { OFFLINE_EMBEDDING_DIMENSIONS, OfflineEmbeddingModel, embedText, embedTexts } from '~/.server/models/offline-embedder';
import { analyzeText, stemWord } from '~/.server/models/text-features';

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const similarity = (a: string, b: string) => cosineSimilarity(embedText(a), embedText(b));

describe('offline embedder', () => {
  it('returns 384-dimensional, L2-normalised vectors', () => {
    const vectors = embedTexts(['Shift swaps need approval.', 'a', '']);
    for (const vector of vectors) {
      expect(vector).toHaveLength(OFFLINE_EMBEDDING_DIMENSIONS);
      expect(norm(vector)).toBeCloseTo(1, 10);
      expect(vector.every(Number.isFinite)).toBe(true);
    }
  });

  it('is deterministic', () => {
    expect(embedText('Annual leave requests go to your manager.')).toEqual(embedText('Annual leave requests go to your manager.'));
  });

  it('gives empty and stopword-only text a fixed unit vector instead of a zero vector', () => {
    expect(embedText('')).toEqual(embedText('the of and'));
    expect(norm(embedText(''))).toBe(1);
  });

  it.each([
    ['tardy', 'late arrivals'],
    ['lateness at the start of a shift', 'arriving late for shifts'],
    ['Can two crew members trade shifts?', 'Swapping shifts needs approval'],
    ['exchange a shift with a colleague', 'shift swap rules'],
    ['requesting time off', 'annual leave requests'],
    ['vacation days', 'holiday entitlement'],
    ['calling in unwell', 'sick leave reporting'],
  ])('treats workplace synonyms as close: "%s" ~ "%s"', (a, b) => {
    const related = similarity(a, b);
    expect(related).toBeGreaterThan(0.25);
    expect(related).toBeGreaterThan(similarity(a, 'fire evacuation assembly point') + 0.15);
  });

  it('ranks the passage that answers a question first', () => {
    const passages = [
      'Fire safety: know your nearest exit and the assembly point in the car park.',
      'Shift swaps: team members may swap shifts with manager approval, logged 24 hours ahead.',
      'Lateness: call the duty manager before your shift if you are running late.',
      'Holiday: annual leave requests need two weeks notice through the rota app.',
      'Uniform: name badges must be worn on the shop floor at all times.',
    ];
    const vectors = embedTexts(passages);
    const rank = (query: string) => {
      const q = embedText(query);
      return vectors.map((v, i) => [cosineSimilarity(q, v), i] as const).sort((a, b) => b[0] - a[0])[0][1];
    };
    expect(rank('Can I trade a shift with someone?')).toBe(1);
    expect(rank('one of my team is always tardy')).toBe(2);
    expect(rank('how much notice for a vacation?')).toBe(3);
    expect(rank('where do we go during an evacuation drill for a fire')).toBe(0);
  });

  it('tolerates typos and word forms through character trigrams and stemming', () => {
    expect(similarity('schedulling problems', 'scheduling problems')).toBeGreaterThan(0.6);
    expect(stemWord('swapping')).toBe(stemWord('swapped'));
    expect(stemWord('policies')).toBe('policy');
    expect(analyzeText('The crew are swapping their shifts')).toEqual(['crew', 'swap', 'shift']);
  });

  it('implements EmbeddingModelV3 for embed and embedMany, with token usage', async () => {
    const model = new OfflineEmbeddingModel();
    expect(model.specificationVersion).toBe('v3');
    const many = await embedMany({ model, values: ['Shift swaps', 'Annual leave'] });
    expect(many.embeddings).toEqual(embedTexts(['Shift swaps', 'Annual leave']));
    expect(many.usage.tokens).toBeGreaterThan(0);
    const one = await embed({ model, value: 'Shift swaps' });
    expect(one.embedding).toEqual(embedText('Shift swaps'));
  });
});
