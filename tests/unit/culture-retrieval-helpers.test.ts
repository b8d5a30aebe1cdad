import { describe, expect, it } from 'vitest';
import { embeddingTextOf, indexNameFor, vectorCast } from '~/.server/culture/embed';
import { cleanFileName } from '~/.server/culture/ingest';
import { questionWords } from '~/.server/culture/retrieve';
import { contactDetailsOut, searchableText, searchWords, synonymsByWord } from '~/.server/culture/query-terms';
import { readUploadedFiles, UploadRefused } from '~/.server/culture/upload';

function multipart(files: Array<{ name: string; bytes: Uint8Array<ArrayBuffer> }>): Request {
  const form = new FormData();
  for (const f of files) form.append('file', new Blob([f.bytes]), f.name);
  return new Request('http://localhost/hr/pack/upload', { method: 'POST', body: form });
}

describe('full-text query', () => {
  it('keeps the distinct words of a question, without punctuation or apostrophes', () => {
    expect(questionWords("Who has to OK a swap or a trade? Who's on-call")).toBe('who has to ok a swap or trade whos on call');
    expect(questionWords('  ¿?!  ')).toBe('');
  });

  it('searches a contraction as its word, not as another word ("she\'ll" is not "shell")', () => {
    expect(searchWords("She'll be late, he didn't call and can't come. What's the rule?")).toBe('she be late he did call and can come what the rule');
    expect(searchWords("he won't swap, the mate's shift")).toBe('he will swap the mate shift');
    // Typed without the apostrophe: function words, left out.
    expect(searchWords('shes always late and dont call')).toBe('always late and call');
    // Words that only look like a contraction without one stay.
    expect(searchWords('the shell of the shed')).toBe('the shell of shed');
  });

  it('leaves e-mail addresses and links out of what is searched', () => {
    expect(contactDetailsOut('Jenna (jenna.k@brightmart-mail.com) is late, see https://example.com/x?y=1 or www.example.org')).not.toMatch(/@|example|https|www/);
    expect(contactDetailsOut('Jenna (jenna.k@brightmart-mail.com) is late')).toMatch(/^Jenna \(\s+\) is late$/);
  });

  it('reads one searchable text for the live search and the bench: contact details out, white space folded', () => {
    expect(searchableText('  Jenna (jenna.k@brightmart-mail.com)\n\n is late,   see https://example.com/x  ')).toBe('Jenna ( ) is late, see');
    expect(searchableText('jenna.k@brightmart-mail.com https://example.com')).toBe('');
  });

  it('gives the policy words for everyday clothing, and no kinship stem for a pregnancy', () => {
    expect(synonymsByWord('she came in wearing a hoodie and trainers').get('hoodie')).toEqual(expect.arrayContaining(['dress', 'uniform']));
    expect(synonymsByWord('a new nose ring').get('nose')).toEqual(expect.arrayContaining(['jewellery']));
    const pregnant = synonymsByWord("she told me she's pregnant").get('pregnant') ?? [];
    expect(pregnant).toEqual(expect.arrayContaining(['pregnancy', 'maternity']));
    expect(pregnant).not.toContain('parental');
    expect(synonymsByWord('he nearly fell asleep at the wheel').get('asleep')).toEqual(expect.arrayContaining(['fatigue']));
  });

  it('reads illness, a childcare breakdown, a call-out by text and heat in degrees as the policy words', () => {
    expect(synonymsByWord('her little boy has the flu').get('flu')).toEqual(expect.arrayContaining(['sick', 'sickness']));
    expect(synonymsByWord('he has a temperature and a migraine').get('temperature')).toEqual(expect.arrayContaining(['sick']));
    // A flu jab is not an illness, and a pool's water temperature is not a fever.
    expect(synonymsByWord('can we get flu jabs for the crew').get('flu')).toBeUndefined();
    expect(synonymsByWord('the water temperature dropped overnight').get('temperature')).toBeUndefined();
    expect(synonymsByWord("the creche won't take him today").get('creche')).toEqual(expect.arrayContaining(['dependants', 'carer']));
    expect(synonymsByWord("he texted his buddy to say he won't make it").get('texted')).toEqual(expect.arrayContaining(['call-out', 'absence']));
    expect(synonymsByWord('she texted me about the rota').get('texted')).toBeUndefined();
    expect(synonymsByWord("it's going to be 34 degrees on the mezzanine").get('34')).toEqual(expect.arrayContaining(['heat']));
    expect(synonymsByWord('she asked me where she can pump during her shift').get('pump')).toEqual(expect.arrayContaining(['lactation']));
    expect(synonymsByWord("he was tapping his mate's card on the kiosk").get('tapping')).toEqual(expect.arrayContaining(['clock', 'honesty']));
    expect(synonymsByWord('he clocked in for her again').get('clocked')).toEqual(expect.arrayContaining(['honesty']));
  });
});

describe('embedding text', () => {
  it('prefixes the title and the heading path (without repeating the title)', () => {
    expect(embeddingTextOf({ title: 'Shift swaps', headingPath: ['Shift swaps', 'Notice'], text: 'Two days.' })).toBe('Shift swaps\nNotice\nTwo days.');
    expect(embeddingTextOf({ title: 'Notes', headingPath: [], text: 'Plain.' })).toBe('Notes\nPlain.');
  });

  it('names one index and one cast per model, safely', () => {
    expect(vectorCast(384)).toBe('embedding::vector(384)');
    expect(() => vectorCast(0)).toThrow();
    expect(indexNameFor('openai:text-embedding-3-small')).toBe('pack_chunk_embedding_openai_text_embedding_3_small');
  });
});

describe('file names', () => {
  it('keeps the base name only, without control characters', () => {
    expect(cleanFileName('C:\\Users\\me\\policy.md')).toBe('policy.md');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b.md')).toBe('ab.md');
    expect(cleanFileName('   ')).toBe('unnamed file');
  });
});

describe('reading an upload', () => {
  it('reads each file, and refuses an oversized one per file without keeping its bytes', async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1).fill(65);
    const files = await readUploadedFiles(multipart([{ name: 'ok.md', bytes: new TextEncoder().encode('# Hi') }, { name: 'big.md', bytes: big }]));
    expect(files[0]).toMatchObject({ fileName: 'ok.md', sizeBytes: 4 });
    expect(new TextDecoder().decode(files[0].bytes)).toBe('# Hi');
    expect(files[1]).toMatchObject({ fileName: 'big.md', sizeBytes: big.byteLength });
    expect(files[1].bytes).toBeUndefined();
    expect(files[1].rejection?.code).toBe('too_large');
    expect(files[1].rejection?.message).toMatch(/10\.1 MB; the limit is 10 MB/);
  });

  it('refuses more than 50 files and an upload with no file', async () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ name: `f${i}.md`, bytes: new TextEncoder().encode(`# ${i}`) }));
    await expect(readUploadedFiles(multipart(many))).rejects.toThrow(/at most 50 files/);
    await expect(readUploadedFiles(multipart([]))).rejects.toBeInstanceOf(UploadRefused);
  });
});
