// Splits a parsed document into retrieval chunks of a few hundred tokens with overlap, each
// carrying its document title and the Markdown heading path above it (for citations).
// LangChain's splitters do the splitting; tokens are counted with js-tiktoken's bundled
// cl100k ranks (TokenTextSplitter would try to download its tokenizer, so it is never used).
import { createHash } from 'node:crypto';
import type { TextSplitter } from '@langchain/textsplitters';
import { Tiktoken } from 'js-tiktoken/lite';
import { createRequire } from 'node:module';
import type cl100kBaseType from 'js-tiktoken/ranks/cl100k_base';

// The ranks (≈ 5.5 MB resident) load with the first text split, not with every web process (docs/decisions/039).
const require = createRequire(import.meta.url);
import type { DocumentFormat } from './parse';

export interface DocumentChunk {
  ordinal: number;
  text: string;
  /** Headings in force where the chunk starts, outermost first, e.g. ["Shift swaps", "Notice required"]. */
  headingPath: string[];
  title: string;
  tokenCount: number;
  /** sha256 hex of `text`. */
  contentHash: string;
}

export interface SplitOptions {
  /** Target chunk size in cl100k tokens. */
  chunkTokens?: number;
  /** Tokens repeated between consecutive chunks (LangChain overlaps whole pieces, so up to this). */
  overlapTokens?: number;
}

export const SPLIT_DEFAULTS = { chunkTokens: 350, overlapTokens: 52 } as const;

export interface SplittableDocument {
  title: string;
  markdown: string;
  /** 'text' uses the plain recursive splitter and has no headings; everything else is Markdown. */
  format?: DocumentFormat;
}

let tokenizer: Tiktoken | undefined;
function getTokenizer(): Tiktoken {
  tokenizer ??= new Tiktoken(require('js-tiktoken/ranks/cl100k_base') as typeof cl100kBaseType);
  return tokenizer;
}

export function countTokens(text: string): number {
  return getTokenizer().encode(text).length;
}

export async function splitDocument(doc: SplittableDocument, opts: SplitOptions = {}): Promise<DocumentChunk[]> {
  const chunkTokens = opts.chunkTokens ?? SPLIT_DEFAULTS.chunkTokens;
  const overlapTokens = opts.overlapTokens ?? Math.min(SPLIT_DEFAULTS.overlapTokens, Math.floor(chunkTokens * 0.15));
  const markdown = doc.markdown.replace(/\r\n?/g, '\n');
  if (!markdown.trim()) return [];

  const isMarkdown = doc.format !== 'text';
  const lengthFunction = memoisedTokenCounter();
  // Loaded on first use: only ingestion splits, and LangChain is heavy to keep in every process.
  const { MarkdownTextSplitter, RecursiveCharacterTextSplitter } = await import('@langchain/textsplitters');
  const makeSplitter = (chunkSize: number, chunkOverlap: number): TextSplitter => {
    const params = { chunkSize, chunkOverlap, lengthFunction };
    return isMarkdown ? new MarkdownTextSplitter(params) : new RecursiveCharacterTextSplitter(params);
  };
  const rawPieces = await makeSplitter(chunkTokens, overlapTokens).splitText(markdown);
  const pieces = await enforceTokenLimit(rawPieces, chunkTokens, lengthFunction, makeSplitter);

  const located = locatePieces(markdown, pieces);
  const spans = isMarkdown ? foldHeadingOnlyPieces(markdown, located, chunkTokens, lengthFunction) : located;
  const pathAt = headingPathIndex(isMarkdown ? findHeadings(markdown) : []);
  return spans.map(({ text, start }, ordinal) => ({
    ordinal,
    text,
    // A chunk that opens with headings belongs to the innermost of them.
    headingPath: pathAt(start + leadingHeadingLength(text)),
    title: doc.title,
    tokenCount: lengthFunction(text),
    contentHash: createHash('sha256').update(text).digest('hex'),
  }));
}

type Span = { text: string; start: number };

// Chunks come back in document order as trimmed substrings; find where each starts.
function locatePieces(source: string, pieces: string[]): Span[] {
  let searchFrom = 0;
  return pieces.map((text) => {
    const found = source.indexOf(text, searchFrom);
    const start = found >= 0 ? found : searchFrom;
    searchFrom = start + 1;
    return { text, start };
  });
}

// When a heading is followed by a section too big for one chunk, the splitter emits the heading
// alone. Such a chunk retrieves nothing useful: join it to the next chunk when that fits, and
// otherwise drop it (the next chunk's heading path still names it).
function foldHeadingOnlyPieces(source: string, spans: Span[], limit: number, count: (text: string) => number): Span[] {
  const result: Span[] = [];
  for (let i = 0; i < spans.length; i += 1) {
    const span = spans[i];
    const next = spans[i + 1];
    if (!next || leadingHeadingLength(`${span.text}\n`) < span.text.length + 1) {
      result.push(span);
      continue;
    }
    const joined = source.slice(span.start, next.start + next.text.length);
    if (next.start > span.start + span.text.length - 1 && count(joined) <= limit) {
      spans[i + 1] = { text: joined, start: span.start };
    }
  }
  return result;
}

function leadingHeadingLength(text: string): number {
  const match = /^(?:[ \t]{0,3}#{1,6}[ \t]+[^\n]*\n+)*/.exec(text);
  return match ? match[0].length : 0;
}

// LangChain sums the token counts of the pieces it merges, and BPE tokens of a joined string can
// exceed that sum by one or two; re-split the rare oversized chunk so the limit is a guarantee.
async function enforceTokenLimit(
  pieces: string[],
  limit: number,
  count: (text: string) => number,
  makeSplitter: (chunkSize: number, chunkOverlap: number) => { splitText(text: string): Promise<string[]> },
): Promise<string[]> {
  const result: string[] = [];
  for (const piece of pieces) {
    let parts = [piece];
    for (let shrink = 0.95; parts.some((p) => count(p) > limit) && shrink > 0.5; shrink -= 0.1) {
      parts = await makeSplitter(Math.floor(limit * shrink), 0).splitText(piece);
    }
    result.push(...parts);
  }
  return result;
}

// The recursive splitter measures the same pieces several times while merging.
function memoisedTokenCounter(): (text: string) => number {
  const cache = new Map<string, number>();
  return (text) => {
    let count = cache.get(text);
    if (count === undefined) {
      count = countTokens(text);
      cache.set(text, count);
    }
    return count;
  };
}

export interface MarkdownHeading {
  offset: number;
  level: number;
  text: string;
}

/** ATX (`## Title`) and setext (`Title` over `===`/`---`) headings, skipping fenced code. */
export function findHeadings(markdown: string): MarkdownHeading[] {
  const headings: MarkdownHeading[] = [];
  let offset = 0;
  let fence: string | null = null;
  let previous: { offset: number; text: string } | null = null;
  for (const line of markdown.split('\n')) {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1][0];
      if (fence === null) fence = marker;
      else if (fence === marker) fence = null;
      previous = null;
    } else if (fence === null) {
      const atx = /^\s{0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
      const setext = /^\s{0,3}(=+|-+)[ \t]*$/.exec(line);
      if (atx && atx[2].trim()) {
        headings.push({ offset, level: atx[1].length, text: cleanHeading(atx[2]) });
        previous = null;
      } else if (setext && previous) {
        headings.push({ offset: previous.offset, level: setext[1][0] === '=' ? 1 : 2, text: cleanHeading(previous.text) });
        previous = null;
      } else {
        previous = line.trim() && !/^\s{0,3}([-*+>]|\d+[.)])\s/.test(line) ? { offset, text: line } : null;
      }
    }
    offset += line.length + 1;
  }
  return headings;
}

function cleanHeading(raw: string): string {
  return raw
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Heading path in force at any offset: the stack after the last heading at or before it. */
function headingPathIndex(headings: MarkdownHeading[]): (offset: number) => string[] {
  const paths: string[][] = [];
  const stack: MarkdownHeading[] = [];
  for (const heading of headings) {
    while (stack.length && stack[stack.length - 1].level >= heading.level) stack.pop();
    stack.push(heading);
    paths.push(stack.map((h) => h.text));
  }
  return (offset) => {
    let low = 0;
    let high = headings.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (headings[mid].offset <= offset) [found, low] = [mid, mid + 1];
      else high = mid - 1;
    }
    return found >= 0 ? paths[found] : [];
  };
}
