// compromise's post-tagger runs its ≈ 570 match rules through one "sweep" (methods.one.bulkMatch). To find the rules
// a sentence might match, compromise 14 walks every key of its rule index for each sentence and concatenates the
// lists it finds one by one, then filters them in three passes: ≈ 20 % of tagging a message, and the noun tagger is
// the largest part of a chat turn's CPU before its first token (ADR 054). This is the same sweep with the index read
// the other way round (the sentence's own words and tags looked up in the index, in the index's order) and the
// filters in one pass: the same rules, in the same order, so the same tags (compared term by term on every dev,
// train and follow-up message; tests/unit/culture-scoring.test.ts).

type Rule = { match: string; needs: string[]; ifNo?: string[]; wants: string[]; minWant: number; minWords: number; unTag?: unknown };
type Net = { hooks: Record<string, Rule[]>; always: Rule[] };
type Methods = { one: { cacheDoc(document: unknown[][]): Set<string>[]; match(docs: unknown[][], rule: Rule): { ptrs: number[][] } } };
export type BulkMatch = (document: unknown[][], net: Net, methods: Methods, opts?: { matchOne?: boolean }) => Array<Rule & { pointer: number[] }>;

/**
 * Each key of a rule index with its place in the index's order, the rule lists in that order, and for each rule the
 * number of its match text (compromise keeps the first rule of each match text only).
 */
type Index = { order: Map<string, number>; lists: Rule[][]; ids: number[][]; seen: Uint32Array; stamp: number };
const indexes = new WeakMap<Record<string, Rule[]>, Index>();

/** The sweep of compromise 14.x (src/1-one/sweep/methods/sweep), with the same result. */
export const fasterBulkMatch: BulkMatch = (document, net, methods, opts = {}) => {
  const docCache = methods.one.cacheDoc(document);
  let index = indexes.get(net.hooks);
  if (!index) {
    const keys = Object.keys(net.hooks);
    const lists = keys.map((key) => net.hooks[key]);
    const numbers = new Map<string, number>();
    const ids = lists.map((list) => list.map((rule) => numbers.get(rule.match) ?? numbers.set(rule.match, numbers.size).size - 1));
    index = { order: new Map(keys.map((key, i) => [key, i])), lists, ids, seen: new Uint32Array(numbers.size), stamp: 0 };
    indexes.set(net.hooks, index);
  }
  const { order, lists, ids, seen } = index;
  const results: Array<Rule & { pointer: number[] }> = [];
  for (let n = 0; n < document.length; n += 1) {
    const haves = docCache[n];
    const present: number[] = [];
    for (const item of haves) {
      const at = order.get(item);
      if (at !== undefined) present.push(at);
    }
    present.sort((a, b) => a - b);
    // A new stamp a sentence: a rule is seen in this sentence when its slot holds the stamp.
    index.stamp += 1;
    if (index.stamp === 0xffffffff) {
      seen.fill(0);
      index.stamp = 1;
    }
    const stamp = index.stamp;
    const maybe: Rule[] = [];
    for (const at of present) {
      const list = lists[at];
      const numbered = ids[at];
      for (let r = 0; r < list.length; r += 1) {
        const rule = list[r];
        if (seen[numbered[r]] === stamp) continue;
        seen[numbered[r]] = stamp;
        if (!rule.needs.every((need) => haves.has(need))) continue;
        if (rule.ifNo !== undefined && rule.ifNo.some((no) => haves.has(no))) continue;
        if (rule.wants.length > 0 && rule.wants.filter((want) => haves.has(want)).length < rule.minWant) continue;
        maybe.push(rule);
      }
    }
    maybe.push(...net.always);
    const termCount = document[n].length;
    for (const rule of maybe) {
      if (termCount < rule.minWords) continue;
      const res = methods.one.match([document[n]], rule);
      for (const ptr of res.ptrs) {
        ptr[0] = n;
        const todo = Object.assign({}, rule, { pointer: ptr });
        if (rule.unTag !== undefined) todo.unTag = rule.unTag;
        results.push(todo);
      }
      if (res.ptrs.length > 0 && opts.matchOne === true) return [results[0]];
    }
  }
  return results;
};

type Compromise = { world(): { methods: { one: { bulkMatch: BulkMatch } } } };
const originals = new WeakMap<object, BulkMatch>();

/** Puts fasterBulkMatch in compromise's place (once); `original` gives back compromise's own sweep (tests). */
export function useFasterSweep<T>(nlp: T): T {
  const methods = (nlp as unknown as Compromise).world().methods.one;
  if (!originals.has(nlp as object)) {
    originals.set(nlp as object, methods.bulkMatch);
    methods.bulkMatch = fasterBulkMatch;
  }
  return nlp;
}

export function originalSweepOf(nlp: object): BulkMatch | undefined {
  return originals.get(nlp);
}
