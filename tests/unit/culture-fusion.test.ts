import { describe, expect, it } from 'vitest';
import { dropNearDuplicates, jaccard, reciprocalRankFusion, wordShingles } from '~/.server/culture/fusion';

const ids = (items: { id: string }[]) => items.map((i) => i.id);

describe('reciprocalRankFusion', () => {
  it('scores each id by the sum of 1/(k + rank) over the lists it appears in', () => {
    const vector = [{ id: 'a', score: 0.91 }, { id: 'b', score: 0.88 }, { id: 'c', score: 0.5 }];
    const fullText = [{ id: 'c', score: 12.5 }, { id: 'a', score: 3.1 }];
    const fused = reciprocalRankFusion([vector, fullText]);
    expect(ids(fused)).toEqual(['a', 'c', 'b']);
    expect(fused[0].score).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(fused[1].score).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(fused[2].score).toBeCloseTo(1 / 62, 12);
  });

  it('ignores the original scores: only ranks matter', () => {
    const a = reciprocalRankFusion([[{ id: 'x', score: 1000 }, { id: 'y', score: 0.001 }]]);
    const b = reciprocalRankFusion([[{ id: 'x' }, { id: 'y' }]]);
    expect(a).toEqual(b);
  });

  it('honours k: a small k favours items at the very top of one list', () => {
    const lists = [
      [{ id: 'top' }, { id: 'both' }],
      [{ id: 'other' }, { id: 'both' }],
    ];
    expect(ids(reciprocalRankFusion(lists, { k: 60 }))[0]).toBe('both');
    expect(ids(reciprocalRankFusion(lists, { k: 0 }))[0]).not.toBe('both');
  });

  it('counts an id once per list and breaks ties deterministically', () => {
    const fused = reciprocalRankFusion([[{ id: 'b' }, { id: 'b' }, { id: 'a' }], [{ id: 'a' }, { id: 'b' }]]);
    expect(fused.find((f) => f.id === 'b')?.score).toBeCloseTo(1 / 61 + 1 / 62, 12);
    // Equal scores: the better single rank wins, then the id.
    expect(ids(reciprocalRankFusion([[{ id: 'z' }], [{ id: 'y' }]]))).toEqual(['y', 'z']);
  });

  it('handles empty input', () => {
    expect(reciprocalRankFusion([])).toEqual([]);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
  });
});

describe('dropNearDuplicates', () => {
  const base = 'Team members may swap a shift with a trained colleague if they ask their manager at least 48 hours before the shift starts and the manager confirms it in writing on the rota board';

  it('keeps the better-ranked of two near-identical passages', () => {
    const passages = [
      { id: 'v1', text: base },
      { id: 'other', text: 'Sick leave must be reported by phone before the shift starts, not by text message.' },
      { id: 'v2', text: `${base}.` },
      { id: 'v3', text: base.replace('trained colleague', 'trained  Colleague') },
    ];
    expect(ids(dropNearDuplicates(passages))).toEqual(['v1', 'other']);
  });

  it('keeps passages that only share part of their text', () => {
    const half = base.split(' ').slice(0, 15).join(' ');
    const passages = [
      { id: 'full', text: base },
      { id: 'half', text: `${half} and covers the differences between permanent and temporary swaps in detail` },
    ];
    expect(ids(dropNearDuplicates(passages))).toEqual(['full', 'half']);
  });

  it('respects the threshold', () => {
    const edited = base.replace('48 hours', 'two days');
    const similarity = jaccard(wordShingles(base), wordShingles(edited));
    expect(similarity).toBeGreaterThan(0.6);
    expect(similarity).toBeLessThan(0.9);
    const passages = [{ id: 'a', text: base }, { id: 'b', text: edited }];
    expect(ids(dropNearDuplicates(passages))).toEqual(['a', 'b']);
    expect(ids(dropNearDuplicates(passages, 0.6))).toEqual(['a']);
  });

  it('keeps extra fields and order of the kept passages', () => {
    const passages = [
      { id: '1', text: 'Short one', score: 0.9 },
      { id: '2', text: 'short ONE!', score: 0.8 },
      { id: '3', text: 'Something else entirely', score: 0.7 },
    ];
    expect(dropNearDuplicates(passages)).toEqual([passages[0], passages[2]]);
  });
});
