// What changed between two culture-pack versions, for the version history page. Documents are
// matched by name and compared by content hash; norms are compared as (kind, text) pairs.
import type { Norm, SupportResources, Tone } from '~/lib/culture';

export interface PackVersionSnapshot {
  documents: Array<{ name: string; contentHash: string }>;
  tone: Tone | null;
  norms: Norm[];
  resources: SupportResources | null;
}

export interface ToneChange {
  field: keyof Tone;
  from: unknown;
  to: unknown;
}

export interface PackVersionDiff {
  documentsAdded: string[];
  documentsRemoved: string[];
  /** Same name, different content. */
  documentsChanged: string[];
  toneChanges: ToneChange[];
  normsAdded: Norm[];
  normsRemoved: Norm[];
  resourcesChanged: boolean;
}

const TONE_FIELDS: Array<keyof Tone> = ['formality', 'warmth', 'directness', 'wordsToUse', 'wordsToAvoid', 'addressAs'];

/** `a` is the older version; pass null for "nothing published yet". */
export function diffPackVersions(a: PackVersionSnapshot | null, b: PackVersionSnapshot): PackVersionDiff {
  const before = a ?? { documents: [], tone: null, norms: [], resources: null };
  return {
    ...diffDocuments(before.documents, b.documents),
    toneChanges: diffTone(before.tone, b.tone),
    ...diffNorms(before.norms, b.norms),
    resourcesChanged: stableJson(before.resources) !== stableJson(b.resources),
  };
}

function diffDocuments(before: PackVersionSnapshot['documents'], after: PackVersionSnapshot['documents']) {
  const oldHashes = new Map(before.map((d) => [d.name, d.contentHash]));
  const newHashes = new Map(after.map((d) => [d.name, d.contentHash]));
  const byName = (x: string, y: string) => x.localeCompare(y);
  return {
    documentsAdded: [...newHashes.keys()].filter((name) => !oldHashes.has(name)).sort(byName),
    documentsRemoved: [...oldHashes.keys()].filter((name) => !newHashes.has(name)).sort(byName),
    documentsChanged: [...newHashes]
      .filter(([name, hash]) => oldHashes.has(name) && oldHashes.get(name) !== hash)
      .map(([name]) => name)
      .sort(byName),
  };
}

function diffTone(before: Tone | null, after: Tone | null): ToneChange[] {
  const changes: ToneChange[] = [];
  for (const field of TONE_FIELDS) {
    const from = before ? before[field] : null;
    const to = after ? after[field] : null;
    if (stableJson(from) !== stableJson(to)) changes.push({ field, from, to });
  }
  return changes;
}

function diffNorms(before: Norm[], after: Norm[]) {
  const key = (norm: Norm) => `${norm.kind}\u0000${norm.text.trim().replace(/\s+/g, ' ')}`;
  const oldKeys = new Set(before.map(key));
  const newKeys = new Set(after.map(key));
  return {
    normsAdded: uniqueBy(after.filter((norm) => !oldKeys.has(key(norm))), key),
    normsRemoved: uniqueBy(before.filter((norm) => !newKeys.has(key(norm))), key),
  };
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// Key order must not count as a change: resources may round-trip through JSONB.
function stableJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
