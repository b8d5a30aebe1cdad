// Trains the input safety model on the corpus's train split and writes .cache/safety-model.bin
// (see ADR 008). Deterministic: the same corpus and code give the same bytes. Run by `npm run build`
// and `pretest`; the classifier also trains on first use when the artifact is missing or stale.
import { createHash } from 'node:crypto';
import { utimesSync } from 'node:fs';
import { modelFeatures } from '~/.server/safety/classifier';
import { MODEL_ARTIFACT, readModelArtifact, serializeModel, trainFromCorpus, trainingDigest, writeModelArtifact } from '~/.server/safety/model';

const force = process.argv.includes('--force');
const digest = trainingDigest();
if (digest === null) {
  console.log('safety model: no corpus found, nothing to train (the classifier uses its lexicon only)');
} else if (!force && readModelArtifact()?.digest === digest) {
  // Touched, so a start's cheap freshness check (scripts/build-if-stale.mjs) sees it is current.
  const now = new Date();
  utimesSync(MODEL_ARTIFACT, now, now);
  console.log(`safety model: ${MODEL_ARTIFACT} is up to date (${digest.slice(0, 12)})`);
} else {
  const started = performance.now();
  const model = trainFromCorpus(modelFeatures);
  if (model) {
    writeModelArtifact(model);
    const bytes = serializeModel(model);
    console.log(
      `safety model: trained on ${model.trainedOn} messages in ${Math.round(performance.now() - started)} ms -> ${MODEL_ARTIFACT} ` +
        `(${(bytes.length / 1e6).toFixed(1)} MB, corpus ${digest.slice(0, 12)}, weights sha256 ${createHash('sha256').update(bytes).digest('hex').slice(0, 12)})`,
    );
  }
}
