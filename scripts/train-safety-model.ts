// Trains the input safety model on the corpus's train split and writes .cache/safety-model.bin
// (see ADR 008). Deterministic: the same corpus, code and seed give the same bytes. Run by `npm run build`
// and `pretest`; the classifier also trains on first use when the artifact is missing or stale.
// Flags: --force (retrain even when up to date), --seed=N (train with seed N instead of TRAINING.seed;
// RAPPORT_SAFETY_SEED=N does the same), --out=PATH (write there instead of .cache/safety-model.bin).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, utimesSync } from 'node:fs';
import { resolve } from 'node:path';
import { modelFeatures } from '~/.server/safety/classifier';
import { projectRoot } from '~/.server/safety/corpus';
import {
  deserializeModel,
  MODEL_ARTIFACT,
  parseSeed,
  SEED_ENV,
  serializeModel,
  TRAINING,
  trainFromCorpus,
  trainingDigest,
  trainingSettings,
  writeModelArtifact,
} from '~/.server/safety/model';

const args = process.argv.slice(2);
const force = args.includes('--force');
const seedArg = args.find((a) => a.startsWith('--seed='))?.slice('--seed='.length);
const outArg = args.find((a) => a.startsWith('--out='))?.slice('--out='.length);
const settings = trainingSettings(seedArg === undefined ? undefined : parseSeed(seedArg));
const out = outArg ? resolve(outArg) : resolve(projectRoot(), MODEL_ARTIFACT);
const digest = trainingDigest(projectRoot(), settings);
const current = existsSync(out) ? safeRead(out) : null;
if (digest === null) {
  console.log('safety model: no corpus found, nothing to train (the classifier uses its lexicon only)');
} else if (!force && current?.digest === digest) {
  // Touched, so a start's cheap freshness check (scripts/build-if-stale.mjs) sees it is current.
  const now = new Date();
  utimesSync(out, now, now);
  console.log(`safety model: ${out} is up to date (${digest.slice(0, 12)}, seed ${settings.seed})`);
} else {
  const started = performance.now();
  const model = trainFromCorpus(modelFeatures, projectRoot(), settings);
  if (model) {
    writeModelArtifact(model, projectRoot(), out);
    const bytes = serializeModel(model);
    console.log(
      `safety model: trained on ${model.trainedOn} messages in ${Math.round(performance.now() - started)} ms -> ${outArg ? out : MODEL_ARTIFACT} ` +
        `(${(bytes.length / 1e6).toFixed(1)} MB, seed ${settings.seed}, corpus ${digest.slice(0, 12)}, weights sha256 ${createHash('sha256').update(bytes).digest('hex').slice(0, 12)})`,
    );
  }
}
if (settings.seed !== TRAINING.seed && !outArg && process.env[SEED_ENV] === undefined) {
  // The seed is part of the artifact's digest: a classifier started without it retrains with the default.
  console.log(`note: the classifier uses this model only while ${SEED_ENV}=${settings.seed} is set; without it it retrains with seed ${TRAINING.seed}`);
}

function safeRead(path: string) {
  try {
    return deserializeModel(readFileSync(path));
  } catch {
    return null;
  }
}
