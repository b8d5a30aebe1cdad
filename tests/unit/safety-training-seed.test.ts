// The training seed option (ADR 044, session 13): RAPPORT_SAFETY_SEED / `train:safety -- --seed=N` and the
// safety-quality bench's --seeds=, which judges a change against the noise of retraining alone.
import { describe, expect, it } from 'vitest';
import { renderAcrossSeeds, renderLine, seedList } from '~/cli/bench/safety-quality';
import { modelFeatures } from '~/.server/safety/classifier';
import { loadSplit } from '~/.server/safety/corpus';
import { parseSeed, SEED_ENV, serializeModel, TRAINING, trainingDigest, trainingSettings, trainModel } from '~/.server/safety/model';

describe('safety training seed', () => {
  it('without a seed the settings are TRAINING itself, so the digest and artifact are unchanged', () => {
    expect(trainingSettings(undefined, {})).toBe(TRAINING);
    expect(trainingSettings(undefined, { [SEED_ENV]: '' })).toBe(TRAINING);
    expect(trainingSettings(TRAINING.seed, {})).toBe(TRAINING);
    expect(trainingDigest(undefined, trainingSettings(undefined, {}))).toBe(trainingDigest(undefined, TRAINING));
  });

  it('RAPPORT_SAFETY_SEED or an explicit seed changes only the seed, and the digest with it', () => {
    const fromEnv = trainingSettings(undefined, { [SEED_ENV]: '3' });
    expect(fromEnv).toEqual({ ...TRAINING, seed: 3 });
    expect(trainingSettings(5, { [SEED_ENV]: '3' }).seed).toBe(5); // the command line wins
    const digest = trainingDigest(undefined, fromEnv);
    expect(digest).not.toBeNull();
    expect(digest).not.toBe(trainingDigest(undefined, TRAINING));
    expect(trainingDigest(undefined, trainingSettings(3, {}))).toBe(digest);
  });

  it('refuses seeds that are not whole numbers in 0..2^32-1', () => {
    expect(parseSeed(' 42 ')).toBe(42);
    expect(parseSeed('4294967295')).toBe(4294967295);
    for (const bad of ['-1', '1.5', 'abc', '4294967296', '1e3', '']) expect(() => parseSeed(bad)).toThrow();
    expect(() => trainingSettings(undefined, { [SEED_ENV]: 'seven' })).toThrow();
  });

  it('a seed gives the same bytes every time, and a different seed gives different weights', () => {
    const sample = loadSplit('train').slice(0, 300);
    const quick = (seed: number) => ({ ...TRAINING, epochs: 1, nbWeight: 0, seed });
    const a = serializeModel(trainModel(sample, modelFeatures, 'x', quick(1)));
    const again = serializeModel(trainModel(sample, modelFeatures, 'x', quick(1)));
    const other = serializeModel(trainModel(sample, modelFeatures, 'x', quick(2)));
    expect(a.equals(again)).toBe(true);
    expect(a.equals(other)).toBe(false);
  });
});

describe('safety-quality --seeds', () => {
  it('parses a comma list, and is off without the flag', () => {
    expect(seedList(['--split=dev', '--seeds=1,2,3'])).toEqual([1, 2, 3]);
    expect(seedList(['--seeds=7'])).toEqual([7]);
    expect(seedList(['--split=dev', '--misses'])).toBeNull();
    expect(() => seedList(['--seeds='])).toThrow();
    expect(() => seedList(['--seeds=1,1'])).toThrow();
    expect(() => seedList(['--seeds=1,x'])).toThrow();
  });

  it('prints one run as before and several as mean [min–max]', () => {
    const line = (n: number) => ['  crisis called crisis ', { n, d: 8, pad: 6 }, ' (', { n, d: 8, pad: 0, counts: true }, ')'];
    expect(renderLine(line(7))).toBe('  crisis called crisis 0.875  (7/8)');
    expect(renderAcrossSeeds([line(6), line(7), line(8)])).toBe('  crisis called crisis 0.875 [0.750–1.000] (6–8/8)');
    expect(renderAcrossSeeds([line(7), line(7)])).toBe('  crisis called crisis 0.875 [0.875–0.875] (7/8)');
    expect(renderAcrossSeeds([[{ n: 0, d: 0, pad: 4 }], [{ n: 0, d: 0, pad: 4 }]])).toBe('n/a ');
  });
});
