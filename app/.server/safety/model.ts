// The statistical half of the input classifier: one logistic-regression head per question
// (crisis? flagged at all? which category? someone else at risk?) over the hashed features of
// features.ts, trained deterministically on the corpus's train split (AdaGrad SGD, fixed seed,
// fixed order), plus naive-Bayes log-count ratios of the same features folded into the same weight
// table (ADR 036: an ensemble of two learners that generalises better than either, at no inference
// cost). Version 7 (ADR 052): ingest/amount cues (an overdose already taken) and farewell/affairs cues in es/fr/de/pt/it/pl/nl. Version 5 (ADR 044): English farewell/affairs/extent cues and their combinations. Version 4 (ADR 030): 2^20 hashed features, weights held as 16-bit integers with one scale
// per head (21 MB, one memory read per feature). The trained weights are a generated artifact (.cache/safety-model.bin, see ADR 008):
// `npm run build` / `pretest` write it, and on first use it is trained in-process when it is
// missing or older than the corpus. Without corpus and artifact the lexicon still answers.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SAFETY_CATEGORIES } from '~/lib/safety';
import { corpusFiles, FIXTURE_PATH, loadSplit, projectRoot, type LabelledMessage } from './corpus';
import { FEATURE_DIM } from './features';
import { LEXICONS } from './lexicon';
import type { WordInfo } from './lexicon/match';

/** Bump when features, heads or training change: the artifact is then rebuilt. */
export const MODEL_VERSION = 'safety-model-v10';
export const MODEL_ARTIFACT = '.cache/safety-model.bin';

export const HEADS = ['crisis', 'flag', ...SAFETY_CATEGORIES, 'third_party'] as const;
export type Head = (typeof HEADS)[number];
const H = HEADS.length;

export interface TrainingSettings {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  maxPositiveWeight: number;
  /** Weight of the naive-Bayes log-count ratios added to the logistic weights (0 = none). */
  nbWeight?: number;
  /** Laplace smoothing of those counts. */
  nbAlpha?: number;
}
export const TRAINING: TrainingSettings = { epochs: 6, learningRate: 0.2, l2: 1e-5, seed: 9, maxPositiveWeight: 1, nbWeight: 0.25, nbAlpha: 1 };
export const SEED_ENV = 'RAPPORT_SAFETY_SEED';

/** A training seed as given on a command line or in RAPPORT_SAFETY_SEED: a whole number 0 … 2^32−1. */
export function parseSeed(text: string): number {
  const trimmed = text.trim();
  const seed = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(seed) || seed > 0xffffffff) throw new Error(`a safety training seed is a whole number 0..4294967295, not "${text}"`);
  return seed;
}

/**
 * The settings training uses: TRAINING, with the seed of RAPPORT_SAFETY_SEED (or of `seed`) when
 * one is given. Only the seed can vary, so retraining noise can be measured (ADR 044, session 13);
 * with neither the settings are TRAINING itself and the digest, artifact and weights are unchanged.
 */
export function trainingSettings(seed?: number, env: Record<string, string | undefined> = process.env): TrainingSettings {
  const fromEnv = env[SEED_ENV];
  const chosen = seed ?? (fromEnv === undefined || fromEnv.trim() === '' ? undefined : parseSeed(fromEnv));
  return chosen === undefined || chosen === TRAINING.seed ? TRAINING : { ...TRAINING, seed: chosen };
}

export interface SafetyModel {
  version: string;
  digest: string;
  /**
   * Interleaved weights, quantised: the weight of head h for feature f is
   * weights[f * HEADS.length + h] * scale[h]. 2^20 hashed features keep collisions rare (ADR 030);
   * 16-bit weights keep that table at 21 MB, read with one memory access per feature.
   */
  weights: Int16Array;
  scale: Float32Array;
  trainedOn: number;
}

export type HeadScores = Record<Head, number>;

const z = new Float64Array(16);
const wordZ = new Float64Array(16);

// Per model: a word's n-gram weight rows summed once and kept with the word (WordInfo.sum, tagged
// with the model it was summed for, so a reloaded model sums again).
function wordSum(model: SafetyModel, word: WordInfo): Float32Array {
  if (word.sumOf === model) return word.sum!;
  const grams = word.grams!;
  const sum = new Float32Array(H);
  const w = model.weights;
  for (let k = 1; k < grams.length; k++) {
    const base = grams[k] * H;
    for (let h = 0; h < H; h++) sum[h] += w[base + h];
  }
  word.sum = sum;
  word.sumOf = model;
  return sum;
}

export interface PredictInput {
  indices: Int32Array;
  values: Float32Array;
  words?: { refs: readonly WordInfo[]; count: number; scale: number };
}

export function predict(model: SafetyModel, indices: Int32Array | PredictInput, values?: Float32Array): HeadScores {
  const input: PredictInput = indices instanceof Int32Array ? { indices, values: values! } : indices;
  z.fill(0);
  const w = model.weights;
  const idx = input.indices;
  const val = input.values;
  if (H === 10) sumRows10(w, idx, val);
  else {
    for (let i = 0; i < idx.length; i++) {
      const base = idx[i] * H;
      const v = val[i];
      for (let h = 0; h < H; h++) z[h] += w[base + h] * v;
    }
  }
  const words = input.words;
  if (words && words.count > 0) {
    wordZ.fill(0);
    for (let i = 0; i < words.count; i++) {
      const s = wordSum(model, words.refs[i]);
      for (let h = 0; h < H; h++) wordZ[h] += s[h];
    }
    for (let h = 0; h < H; h++) z[h] += wordZ[h] * words.scale;
  }
  const scale = model.scale;
  for (let h = 0; h < H; h++) z[h] *= scale[h];
  // A literal of fixed shape (HEADS order), not an object filled by computed keys.
  return {
    crisis: sigmoid(z[0]),
    flag: sigmoid(z[1]),
    self_harm: sigmoid(z[2]),
    harm_to_others: sigmoid(z[3]),
    abuse_or_harassment: sigmoid(z[4]),
    medical_emergency: sigmoid(z[5]),
    toxicity: sigmoid(z[6]),
    prompt_injection: sigmoid(z[7]),
    jailbreak: sigmoid(z[8]),
    third_party: sigmoid(z[9]),
  };
}

// The scattered rows (bigrams, skip-bigrams, cues) are each a memory read far from the last one:
// with the ten sums held in locals rather than written back to an array per row, the loop is short
// enough for the processor to have several of those reads in flight at once. The same products are
// added in the same order per head, so the sums are bit for bit those of the plain loop.
function sumRows10(w: Int16Array, idx: Int32Array, val: Float32Array): void {
  let z0 = 0, z1 = 0, z2 = 0, z3 = 0, z4 = 0, z5 = 0, z6 = 0, z7 = 0, z8 = 0, z9 = 0;
  for (let i = 0; i < idx.length; i++) {
    const b = idx[i] * 10;
    const v = val[i];
    z0 += w[b] * v;
    z1 += w[b + 1] * v;
    z2 += w[b + 2] * v;
    z3 += w[b + 3] * v;
    z4 += w[b + 4] * v;
    z5 += w[b + 5] * v;
    z6 += w[b + 6] * v;
    z7 += w[b + 7] * v;
    z8 += w[b + 8] * v;
    z9 += w[b + 9] * v;
  }
  z[0] = z0; z[1] = z1; z[2] = z2; z[3] = z3; z[4] = z4; z[5] = z5; z[6] = z6; z[7] = z7; z[8] = z8; z[9] = z9;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function labelsOf(m: Pick<LabelledMessage, 'level' | 'categories' | 'group'>): Float32Array {
  const y = new Float32Array(H);
  HEADS.forEach((head, h) => {
    if (head === 'crisis') y[h] = m.level === 'crisis' ? 1 : 0;
    else if (head === 'flag') y[h] = m.level !== 'none' ? 1 : 0;
    else if (head === 'third_party') y[h] = m.group === 'third_party' && m.level !== 'none' ? 1 : 0;
    else y[h] = (m.categories as string[]).includes(head) ? 1 : 0;
  });
  return y;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic training: same messages (in any file order) → the same weights, bit for bit. */
export type Featurize = (text: string) => { indices: Int32Array; values: Float32Array };

export function trainModel(messages: readonly LabelledMessage[], featurize: Featurize, digest = '', settings: TrainingSettings = TRAINING): SafetyModel {
  const TRAINING = settings;
  const sorted = [...messages].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  const examples = sorted.map((m) => {
    return { ...mergeSorted(featurize(m.text)), y: labelsOf(m) };
  });
  const positives = new Float64Array(H);
  for (const e of examples) for (let h = 0; h < H; h++) positives[h] += e.y[h];
  const posWeight = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    const pos = Math.max(1, positives[h]);
    const neg = Math.max(1, examples.length - positives[h]);
    posWeight[h] = Math.min(TRAINING.maxPositiveWeight, Math.max(1, Math.sqrt(neg / pos)));
  }

  const weights = new Float32Array(FEATURE_DIM * H);
  const squares = new Float32Array(FEATURE_DIM * H);
  const random = mulberry32(TRAINING.seed);
  const order = examples.map((_, i) => i);
  const grad = new Float64Array(H);
  const learningRate = TRAINING.learningRate;
  const l2 = TRAINING.l2;
  for (let epoch = 0; epoch < TRAINING.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    for (const k of order) {
      const { indices, values, y } = examples[k];
      grad.fill(0);
      for (let i = 0; i < indices.length; i++) {
        const base = indices[i] * H;
        for (let h = 0; h < H; h++) grad[h] += weights[base + h] * values[i];
      }
      for (let h = 0; h < H; h++) {
        const p = 1 / (1 + Math.exp(-grad[h]));
        grad[h] = (p - y[h]) * (y[h] > 0 ? posWeight[h] : 1);
      }
      for (let i = 0; i < indices.length; i++) {
        const base = indices[i] * H;
        const v = values[i];
        for (let h = 0; h < H; h++) {
          const at = base + h;
          const g = grad[h] * v + l2 * weights[at];
          const sq = squares[at] + g * g;
          squares[at] = sq;
          weights[at] -= (learningRate * g) / (Math.sqrt(sq) + 1e-8);
        }
      }
    }
  }
  if (TRAINING.nbWeight) addNaiveBayes(weights, examples, positives, TRAINING, featurize);
  return { version: MODEL_VERSION, digest, ...quantise(weights), trainedOn: examples.length };
}

/**
 * 16-bit weights with one scale per head (the largest weight maps to ±32,767): a resolution of
 * about 1/10,000 of the largest weight, far below what moves a verdict.
 */
function quantise(weights: Float32Array): { weights: Int16Array; scale: Float32Array } {
  const scale = new Float32Array(H);
  for (let i = 0; i < weights.length; i++) {
    const a = Math.abs(weights[i]);
    if (a > scale[i % H]) scale[i % H] = a;
  }
  for (let h = 0; h < H; h++) scale[h] = scale[h] > 0 ? scale[h] / 32767 : 1;
  const q = new Int16Array(weights.length);
  for (let i = 0; i < weights.length; i++) q[i] = Math.round(weights[i] / scale[i % H]);
  return { weights: q, scale };
}

const NB_HEADS: ReadonlySet<Head> = new Set(['crisis', 'flag', 'self_harm', 'harm_to_others', 'abuse_or_harassment', 'medical_emergency', 'third_party']);

/**
 * The second learner of the ensemble: per head, each feature's naive-Bayes log-count ratio
 * log(P(feature | positive) / P(feature | negative)) from presence counts, added to the logistic
 * weights with a small weight (NBSVM-style interpolation). Both are linear in the same inputs, so
 * the ensemble is one weight table and costs nothing at inference. Features never seen in
 * training stay at 0; the prior log-odds go on the bias feature.
 */
function addNaiveBayes(
  weights: Float32Array,
  examples: readonly { indices: Int32Array; y: Float32Array }[],
  positives: Float64Array,
  settings: TrainingSettings,
  featurize: Featurize,
): void {
  const weight = settings.nbWeight ?? 0;
  const alpha = settings.nbAlpha ?? 1;
  // Presence counts (a train split is far below 65,535 messages).
  const pos = new Uint16Array(FEATURE_DIM * H);
  const neg = new Uint16Array(FEATURE_DIM * H);
  for (const e of examples) {
    // indices are sorted and unique (mergeSorted): each is one presence
    for (let i = 0; i < e.indices.length; i++) {
      const base = e.indices[i] * H;
      for (let h = 0; h < H; h++) (e.y[h] > 0 ? pos : neg)[base + h]++;
    }
  }
  const n = examples.length;
  const logPos = new Float64Array(H);
  const logNeg = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    logPos[h] = Math.log(positives[h] + 2 * alpha);
    logNeg[h] = Math.log(n - positives[h] + 2 * alpha);
  }
  // Manipulation heads have few, formulaic positives: their ratios would be all noise, and the rules read them.
  const heads = HEADS.map((head, h) => (NB_HEADS.has(head) ? h : -1)).filter((h) => h >= 0);
  for (let f = 0; f < FEATURE_DIM; f++) {
    const base = f * H;
    for (const h of heads) {
      const p = pos[base + h];
      const q = neg[base + h];
      if (p + q === 0) continue;
      weights[base + h] += weight * (Math.log(p + alpha) - logPos[h] - Math.log(q + alpha) + logNeg[h]);
    }
  }
  const bias = featurize('').indices; // the empty message: its only feature is the bias
  if (bias.length === 1) for (const h of heads) weights[bias[0] * H + h] += weight * Math.log(Math.max(1, positives[h]) / Math.max(1, n - positives[h]));
}

/** Features in index order with repeats summed: the weight rows are then walked front to back. */
function mergeSorted(f: { indices: Int32Array; values: Float32Array }): { indices: Int32Array; values: Float32Array } {
  const order = Array.from(f.indices.keys()).sort((a, b) => f.indices[a] - f.indices[b]);
  const indices: number[] = [];
  const values: number[] = [];
  for (const k of order) {
    const index = f.indices[k];
    if (indices.length > 0 && indices[indices.length - 1] === index) values[values.length - 1] += f.values[k];
    else {
      indices.push(index);
      values.push(f.values[k]);
    }
  }
  return { indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

/** What the weights are built from: code version, lexicon, training settings and the train data. */
export function trainingDigest(root = projectRoot(), settings: TrainingSettings = trainingSettings()): string | null {
  const files = corpusFiles('train', root);
  const fixture = join(root, FIXTURE_PATH);
  if (files.length === 0 && !existsSync(fixture)) return null;
  const hash = createHash('sha256');
  hash.update(MODEL_VERSION).update(JSON.stringify(LEXICONS)).update(JSON.stringify(settings));
  for (const f of files) hash.update(f.slice(root.length)).update(readFileSync(f));
  if (existsSync(fixture)) hash.update(readFileSync(fixture));
  return hash.digest('hex');
}

export function trainFromCorpus(featurize: Featurize, root = projectRoot(), settings: TrainingSettings = trainingSettings()): SafetyModel | null {
  const digest = trainingDigest(root, settings);
  if (digest === null) return null;
  return trainModel(loadSplit('train', { root }), featurize, digest, settings);
}

// ── the artifact: header line (JSON) + row indices (Int32) + rows (Float32 × heads) ─────────
export function serializeModel(model: SafetyModel): Buffer {
  // Rows are stored in feature order, so the table is written as it is, after the feature indices.
  const rows: number[] = [];
  for (let f = 0; f < FEATURE_DIM; f++) {
    for (let h = 0; h < H; h++) {
      if (model.weights[f * H + h] !== 0) {
        rows.push(f);
        break;
      }
    }
  }
  const header = Buffer.from(
    `${JSON.stringify({ version: model.version, digest: model.digest, heads: HEADS, dim: FEATURE_DIM, rows: rows.length, trainedOn: model.trainedOn, scale: Array.from(model.scale) })}\n`,
  );
  const index = new Int32Array(rows);
  const data = new Int16Array(rows.length * H);
  rows.forEach((f, r) => data.set(model.weights.subarray(f * H, f * H + H), r * H));
  return Buffer.concat([header, Buffer.from(index.buffer), Buffer.from(data.buffer)]);
}

export function deserializeModel(buffer: Buffer): SafetyModel | null {
  const newline = buffer.indexOf(10);
  if (newline < 0) return null;
  const header = JSON.parse(buffer.subarray(0, newline).toString('utf8')) as { version: string; digest: string; heads: string[]; dim: number; rows: number; trainedOn: number; scale: number[] };
  if (header.version !== MODEL_VERSION || header.dim !== FEATURE_DIM || header.heads.join() !== HEADS.join()) return null;
  const body = buffer.subarray(newline + 1);
  const bytes = new Uint8Array(body.length);
  bytes.set(body);
  const index = new Int32Array(bytes.buffer, 0, header.rows);
  const data = new Int16Array(bytes.buffer, header.rows * 4, header.rows * H);
  const weights = new Int16Array(FEATURE_DIM * H);
  for (let r = 0; r < header.rows; r++) weights.set(data.subarray(r * H, r * H + H), index[r] * H);
  return { version: header.version, digest: header.digest, weights, scale: Float32Array.from(header.scale), trainedOn: header.trainedOn };
}

/** Writes the artifact to .cache/safety-model.bin under root, or to `path` when one is given. */
export function writeModelArtifact(model: SafetyModel, root = projectRoot(), path = join(root, MODEL_ARTIFACT)): string {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, serializeModel(model));
  renameSync(tmp, path); // atomic: parallel test workers never read half a file
  return path;
}

export function readModelArtifact(root = projectRoot()): SafetyModel | null {
  const path = join(root, MODEL_ARTIFACT);
  if (!existsSync(path)) return null;
  try {
    return deserializeModel(readFileSync(path));
  } catch {
    return null;
  }
}

let cached: SafetyModel | null | undefined;

/**
 * The model the classifier uses: the artifact when it matches the corpus, else trained now
 * (and the artifact rewritten). Never throws: without a model the lexicon and rules still answer.
 */
export function safetyModel(featurize: Featurize): SafetyModel | null {
  if (cached !== undefined) return cached;
  try {
    const root = projectRoot();
    const artifact = readModelArtifact(root);
    const digest = trainingDigest(root);
    if (artifact && (digest === null || artifact.digest === digest)) return (cached = artifact);
    const trained = trainFromCorpus(featurize, root);
    if (trained) {
      try {
        writeModelArtifact(trained, root);
      } catch {
        // A read-only deployment keeps the model in memory only.
      }
      return (cached = trained);
    }
    return (cached = artifact);
  } catch (error) {
    console.warn(`safety model unavailable, using the lexicon only: ${(error as Error).message}`);
    return (cached = null);
  }
}

/** For tests and the benchmark: use this model (or none) from now on. */
export function setSafetyModel(model: SafetyModel | null | undefined): void {
  cached = model;
}
