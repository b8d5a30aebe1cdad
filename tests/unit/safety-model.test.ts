import { describe, expect, it } from 'vitest';
import { modelFeatures } from '~/.server/safety/classifier';
import { loadSplit } from '~/.server/safety/corpus';
import { deserializeModel, predict, safetyModel, serializeModel, trainingDigest, trainModel } from '~/.server/safety/model';

describe('safety model', () => {
  const sample = loadSplit('train').slice(0, 300);

  it('training is deterministic: the same messages in any order give the same bytes', () => {
    const a = serializeModel(trainModel(sample, modelFeatures, 'x', { epochs: 2, learningRate: 0.2, l2: 1e-5, seed: 9, maxPositiveWeight: 1 }));
    const b = serializeModel(trainModel([...sample].reverse(), modelFeatures, 'x', { epochs: 2, learningRate: 0.2, l2: 1e-5, seed: 9, maxPositiveWeight: 1 }));
    expect(a.equals(b)).toBe(true);
  });

  it('the artifact round-trips and predicts the same scores', () => {
    const model = trainModel(sample, modelFeatures, 'x', { epochs: 1, learningRate: 0.2, l2: 1e-5, seed: 9, maxPositiveWeight: 1 });
    const copy = deserializeModel(serializeModel(model));
    expect(copy).not.toBeNull();
    const f = modelFeatures('I have made up my mind, this weekend is when I finish it all');
    expect(predict(copy!, f.indices, f.values)).toEqual(predict(model, f.indices, f.values));
  });

  it('the model in use is built from the current train split', () => {
    const model = safetyModel(modelFeatures);
    expect(model).not.toBeNull();
    expect(model!.digest).toBe(trainingDigest());
    expect(model!.trainedOn).toBe(loadSplit('train').length);
  });
});
