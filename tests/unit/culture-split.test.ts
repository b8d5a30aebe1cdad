import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { countTokens, findHeadings, splitDocument, SPLIT_DEFAULTS } from '~/.server/culture/split';

// Deterministic filler prose so sizes are realistic without fixtures.
function prose(seed: number, sentences: number): string {
  const words = 'team member manager rota shift swap notice leave sick feedback recognition conduct report support colleague schedule approve early late cover'.split(' ');
  let state = seed;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: sentences }, () => {
    const sentence = Array.from({ length: 8 + Math.floor(next() * 10) }, () => words[Math.floor(next() * words.length)]).join(' ');
    return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
  }).join(' ');
}

describe('splitDocument', () => {
  it('keeps a small document in one chunk with title, heading path, token count and hash', async () => {
    const markdown = '# Recognition\n\nSay thank you in the huddle, by name, for something specific.';
    const [chunk, ...rest] = await splitDocument({ title: 'Recognition guide', markdown, format: 'markdown' });
    expect(rest).toEqual([]);
    expect(chunk).toEqual({
      ordinal: 0,
      text: markdown,
      headingPath: ['Recognition'],
      title: 'Recognition guide',
      tokenCount: countTokens(markdown),
      contentHash: createHash('sha256').update(markdown).digest('hex'),
    });
    expect(chunk.tokenCount).toBeGreaterThan(10);
  });

  it('returns no chunks for an empty document', async () => {
    expect(await splitDocument({ title: 'Empty', markdown: '  \n\n ' })).toEqual([]);
  });

  it('gives each chunk the heading path above it', async () => {
    const markdown = [
      '# Shift swaps',
      prose(1, 3),
      '## Notice required',
      prose(2, 6),
      '### Emergencies',
      `Emergency swaps need a call to the duty manager. ${prose(3, 5)}`,
      '## Approval',
      `Approval is recorded on the rota board. ${prose(4, 5)}`,
    ].join('\n\n');
    const chunks = await splitDocument({ title: 'Shift swaps', markdown }, { chunkTokens: 120, overlapTokens: 15 });
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    const pathOf = (needle: string) => chunks.find((c) => c.text.includes(needle))?.headingPath;
    expect(pathOf('Emergency swaps need a call')).toEqual(['Shift swaps', 'Notice required', 'Emergencies']);
    expect(pathOf('Approval is recorded')).toEqual(['Shift swaps', 'Approval']);
    // A chunk that opens with headings is filed under the innermost of them.
    const notice = chunks.find((c) => c.text.startsWith('## Notice required'));
    expect(notice?.headingPath).toEqual(['Shift swaps', 'Notice required']);
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
    expect(chunks.every((c) => c.title === 'Shift swaps')).toBe(true);
  });

  it('ignores "#" lines inside fenced code and understands setext headings', async () => {
    const markdown = 'Leave policy\n============\n\nIntro.\n\n```\n# not a heading\n```\n\nSick leave\n----------\n\nCall in early.';
    expect(findHeadings(markdown).map((h) => [h.level, h.text])).toEqual([
      [1, 'Leave policy'],
      [2, 'Sick leave'],
    ]);
    const [chunk] = await splitDocument({ title: 'Leave', markdown });
    expect(chunk.headingPath).toEqual(['Leave policy']);
  });

  it('cleans Markdown out of heading text', async () => {
    const headings = findHeadings('## **Shift** `swaps` and [rota](https://x.example) #\n\n### Notice \\#2');
    expect(headings.map((h) => h.text)).toEqual(['Shift swaps and rota', 'Notice #2']);
  });

  it('makes chunks of a few hundred tokens that cover the whole document', async () => {
    const sections = Array.from({ length: 30 }, (_, i) => `## Section ${i}\n\n${prose(i + 10, 8)}\n\n${prose(i + 50, 8)}`);
    const markdown = `# Handbook\n\n${sections.join('\n\n')}`;
    const chunks = await splitDocument({ title: 'Handbook', markdown, format: 'docx' });
    const sizes = chunks.map((c) => c.tokenCount);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(SPLIT_DEFAULTS.chunkTokens);
    expect(sizes.filter((n) => n >= 100).length).toBeGreaterThan(chunks.length * 0.8);
    expect(countTokens(markdown)).toBeGreaterThan(SPLIT_DEFAULTS.chunkTokens * 10);
    for (const chunk of chunks) {
      expect(markdown).toContain(chunk.text);
      expect(chunk.tokenCount).toBe(countTokens(chunk.text));
    }
    for (const paragraph of markdown.split('\n\n')) {
      const firstWords = paragraph.split(' ').slice(0, 6).join(' ');
      expect(chunks.some((c) => c.text.includes(firstWords))).toBe(true);
    }
    // Chunks under a section heading cite that section.
    const section7 = chunks.find((c) => c.text.includes(prose(57, 8).slice(0, 60)));
    expect(section7?.headingPath).toEqual(['Handbook', 'Section 7']);
  });

  it('overlaps consecutive chunks by up to ~15% of a chunk', async () => {
    // Many short lines: the splitter can carry whole lines over into the next chunk.
    const lines = Array.from({ length: 200 }, (_, i) => `Line ${i}: ${prose(i, 1)}`);
    const chunks = await splitDocument({ title: 'Rota rules', markdown: lines.join('\n') });
    expect(chunks.length).toBeGreaterThan(5);
    let overlapping = 0;
    for (let i = 1; i < chunks.length; i += 1) {
      const previousLines = chunks[i - 1].text.split('\n');
      const currentLines = chunks[i].text.split('\n');
      const shared = currentLines.filter((line) => previousLines.includes(line));
      if (shared.length) overlapping += 1;
      // The shared lines sit at the start of the later chunk and stay within the overlap budget.
      expect(currentLines.slice(0, shared.length)).toEqual(shared);
      expect(countTokens(shared.join('\n'))).toBeLessThanOrEqual(SPLIT_DEFAULTS.overlapTokens);
    }
    expect(overlapping).toBeGreaterThan((chunks.length - 1) * 0.8);
  });

  it('splits plain text recursively without inventing headings', async () => {
    const text = `# not markdown in a .txt\n\n${prose(7, 60)}`;
    const chunks = await splitDocument({ title: 'Notes', markdown: text, format: 'text' });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.headingPath.length === 0)).toBe(true);
    expect(chunks.every((c) => c.tokenCount <= SPLIT_DEFAULTS.chunkTokens)).toBe(true);
  });

  it('never emits a chunk that is only a heading', async () => {
    // A heading followed by one paragraph too long for a chunk: the splitter would isolate the heading.
    const markdown = `# Leave\n\n## Rules\n\n${prose(9, 60)}\n\n## Sick leave\n\nCall in early.`;
    const chunks = await splitDocument({ title: 'Leave', markdown });
    expect(chunks.some((c) => /^(?:#+ [^\n]*\s*)+$/.test(c.text))).toBe(false);
    expect(chunks[0].headingPath).toEqual(['Leave', 'Rules']);
    expect(chunks.at(-1)?.headingPath).toEqual(['Leave', 'Sick leave']);
  });

  it('honours custom chunk sizes', async () => {
    const chunks = await splitDocument({ title: 'T', markdown: prose(3, 80) }, { chunkTokens: 100, overlapTokens: 10 });
    expect(chunks.length).toBeGreaterThan(5);
    expect(Math.max(...chunks.map((c) => c.tokenCount))).toBeLessThanOrEqual(100);
  });

  it('splits a 1 MB Markdown pack in one pass (speed is measured by a benchmark, not here)', async () => {
    const parts: string[] = [];
    for (let i = 0; parts.join('\n\n').length < 1_000_000; i += 1) {
      parts.push(`# Policy ${i}`, `## Scope`, prose(i * 7919, 20), `## Rules`, prose(i * 7919 + 1, 30));
    }
    const markdown = parts.join('\n\n');
    const chunks = await splitDocument({ title: 'Big pack', markdown });
    expect(chunks.length).toBeGreaterThan(500);
    expect(new Set(chunks.map((c) => c.contentHash)).size).toBe(chunks.length);
    expect(chunks.at(-1)?.headingPath[0]).toMatch(/^Policy \d+$/);
  });
});
