import { describe, expect, it } from 'vitest';
import { assessAnswerability, RELEVANCE_THRESHOLD } from '~/.server/culture/answerability';
import { questionWords, synonymWords } from '~/.server/culture/query-terms';
import { vectorWeightFor } from '~/.server/culture/retrieve';

describe('synonyms for a manager’s own words', () => {
  it('adds the policy’s words for what the message says, not its own words again', () => {
    expect(synonymWords('Two of my cashiers want to trade their Sunday shifts').split(' ')).toEqual(expect.arrayContaining(['swap']));
    expect(synonymWords('Her grandma passed away last night').split(' ')).toEqual(expect.arrayContaining(['bereavement']));
    expect(synonymWords('He rolled in twelve minutes late again').split(' ')).toEqual(expect.arrayContaining(['lateness']));
    expect(synonymWords('A guest was yelling at my cashier').split(' ')).toEqual(expect.arrayContaining(['abusive']));
    // Remarks about where someone comes from are a dignity-at-work matter (ADR 067).
    expect(synonymWords('my lad on goods-in keeps calling the agency staff lazy foreigners').split(' ')).toEqual(expect.arrayContaining(['discrimination', 'harassment']));
    // A word the message already uses is not added twice.
    expect(synonymWords('Can they swap a shift?').split(' ')).not.toContain('swap');
  });

  it('adds nothing for a message with no workplace topic it knows', () => {
    expect(synonymWords('What colour is the sky?')).toBe('');
    expect(questionWords('What colour is the sky?')).toBe('what colour is the sky');
  });
});

describe('answerability threshold', () => {
  const passage = (id: string, bm25: number) => ({ id, bm25 });

  it('offers only the passages above the threshold, in retrieval order', () => {
    const verdict = assessAnswerability([passage('a', 12), passage('b', 3), passage('c', 7)], 6.5);
    expect(verdict.covered).toBe(true);
    expect(verdict.supported.map((p) => p.id)).toEqual(['a', 'c']);
    expect(verdict.relevance).toBe(12);
  });

  it('says not covered when nothing clears it (or nothing was retrieved)', () => {
    expect(assessAnswerability([passage('a', 6.4), passage('b', 0)], 6.5)).toMatchObject({ covered: false, supported: [], relevance: 6.4 });
    expect(assessAnswerability([])).toMatchObject({ covered: false, supported: [], relevance: 0, threshold: RELEVANCE_THRESHOLD });
  });

  it('is calibrated in BM25 units (a passage that only shares a word like "team" stays under it)', () => {
    expect(RELEVANCE_THRESHOLD).toBeGreaterThan(2);
    expect(RELEVANCE_THRESHOLD).toBeLessThan(20);
  });
});

describe('fusion weights', () => {
  it('lets the offline embedder only break ties, and a configured model count fully', () => {
    expect(vectorWeightFor({ provider: 'offline' })).toBeLessThan(0.1);
    expect(vectorWeightFor({ provider: 'openai' })).toBe(1);
  });
});

describe('threshold by pack size', () => {
  it('is the calibrated one for a pack the size of the demo packs, lower for small packs, higher for large ones', async () => {
    const { thresholdFor, REFERENCE_CHUNKS } = await import('~/.server/culture/answerability');
    expect(thresholdFor(REFERENCE_CHUNKS)).toBeCloseTo(RELEVANCE_THRESHOLD, 6);
    expect(thresholdFor(10)).toBeLessThan(RELEVANCE_THRESHOLD * 0.6);
    expect(thresholdFor(500)).toBeGreaterThan(RELEVANCE_THRESHOLD * 1.5);
    expect(thresholdFor(undefined)).toBe(RELEVANCE_THRESHOLD);
    expect(assessAnswerability([{ bm25: 4, corpusChunks: 10 }]).covered).toBe(true);
    expect(assessAnswerability([{ bm25: 4, corpusChunks: 40 }]).covered).toBe(false);
  });
});

describe('answerability score', () => {
  const terms = (entries: Array<[string, number]>) => entries.map(([word, chunks]) => ({ word, lexeme: word, chunks }));
  const question = 'My assistant manager wants to bring her toddler to the Saturday stocktake. Is that allowed?';

  it('finds the nouns (the topic) and the names of a message', async () => {
    const { namesIn, nounsIn } = await import('~/.server/culture/answerability');
    expect([...nounsIn(question)]).toEqual(expect.arrayContaining(['toddler', 'stocktake', 'manager']));
    expect(nounsIn(question).has('allowed')).toBe(false);
    expect([...namesIn('Kayla texted me asking if Deshawn can take her shift.')]).toEqual(expect.arrayContaining(['kayla', 'deshawn']));
  });

  it("tags exactly as compromise's own sweep does (the faster post-tagger sweep, compromise-sweep.ts)", async () => {
    const { createRequire } = await import('node:module');
    const fs = await import('node:fs');
    const { originalSweepOf, useFasterSweep } = await import('~/.server/culture/compromise-sweep');
    const nlp = useFasterSweep(createRequire(import.meta.url)('compromise/two')) as (text: string) => { docs: Array<Array<{ normal: string; tags: Set<string> }>> };
    const methods = (nlp as unknown as { world(): { methods: { one: { bulkMatch: unknown } } } }).world().methods.one;
    const faster = methods.bulkMatch;
    const original = originalSweepOf(nlp)!;
    const tagsOf = (text: string) => nlp(text).docs.map((terms) => terms.map((t) => `${t.normal}:${[...t.tags].sort().join(',')}`));
    const read = (file: string) => JSON.parse(fs.readFileSync(`tests/fixtures/retrieval-narratives/${file}`, 'utf8')) as Array<{ text: string }>;
    const messages = read('dev.json').map((e) => e.text);
    expect(messages.length).toBeGreaterThan(200);
    const differing: string[] = [];
    try {
      for (const text of messages) {
        methods.bulkMatch = original;
        const expected = JSON.stringify(tagsOf(text));
        methods.bulkMatch = faster;
        if (JSON.stringify(tagsOf(text)) !== expected) differing.push(text);
      }
      expect(differing).toEqual([]);
    } finally {
      methods.bulkMatch = faster;
    }
  });

  it('tags sentence by sentence and remembers them: a follow-up after its message finds the same nouns', async () => {
    const { nounsIn } = await import('~/.server/culture/answerability');
    const nlp = (await import('compromise/two')).default;
    const previous = 'Two of my cashiers want to trade their Saturday shifts. Can I approve that myself?';
    const followUp = 'What if it puts one of them over 40 hours?';
    // Tagging the whole text at once, as before: the same nouns.
    const whole = (text: string) =>
      (nlp(text) as unknown as { docs: Array<Array<{ normal: string; tags: Set<string> }>> }).docs
        .flat()
        .filter((t) => t.tags.has('Noun') && !t.tags.has('Pronoun') && !t.tags.has('Possessive'))
        .flatMap((t) => t.normal.split(/[^\p{L}\p{N}]+/u))
        .filter((w) => w.length > 1 && !['one', 'time'].includes(w));
    const searched = `${previous}\n${followUp}`;
    expect(nounsIn(searched)).toEqual(nounsIn(searched));
    expect([...nounsIn(previous)]).toEqual(expect.arrayContaining(['cashiers', 'shifts']));
    expect([...nounsIn(searched)].sort()).toEqual([...new Set([...nounsIn(previous), ...nounsIn(followUp)])].sort());
    expect([...nounsIn(searched)].sort()).toEqual([...new Set(whole(searched))].sort());
  });

  it('scores a passage holding the question’s topic words above one that shares only its ordinary words', async () => {
    const { answerFeaturesOf, answerScoreOf, nounsIn, ANSWER_THRESHOLD } = await import('~/.server/culture/answerability');
    const swap = 'Two of my cashiers want to swap their Sunday shifts. Can I say yes?';
    const swapTerms = terms([['cashiers', 4], ['swap', 3], ['sunday', 2], ['shifts', 20], ['say', 12]]);
    const answers = answerFeaturesOf({ bm25: 14, matchedLexemes: ['cashiers', 'shifts', 'swap', 'sunday'], titleTerms: 2, corpusChunks: 40 }, swapTerms, new Set(), nounsIn(swap));
    expect(answers.coverage).toBeGreaterThan(0.7);
    expect(answers.unknownNouns).toBe(0);
    expect(answerScoreOf(answers)).toBeGreaterThanOrEqual(ANSWER_THRESHOLD);

    // The pack knows "manager" and "Saturday" but has no word for toddlers or stocktakes.
    const toddlerTerms = terms([['assistant', 4], ['manager', 20], ['bring', 2], ['toddler', 0], ['saturday', 1], ['stocktake', 0], ['allowed', 3]]);
    const unrelated = answerFeaturesOf({ bm25: 6, matchedLexemes: ['allowed', 'manager'], titleTerms: 0, corpusChunks: 40 }, toddlerTerms, new Set(), nounsIn(question));
    expect(unrelated.unknownNouns).toBe(2);
    expect(unrelated.nounCoverage).toBeLessThan(0.2);
    expect(answerScoreOf(unrelated)).toBeLessThan(ANSWER_THRESHOLD);
  });

  it('reads the asking sentence: its topic nouns must be in the passage (or the policy word for them)', async () => {
    const { answerFeaturesOf, answerScoreOf, nounsIn, ANSWER_THRESHOLD } = await import('~/.server/culture/answerability');
    const { askingWords, synonymsByWord } = await import('~/.server/culture/query-terms');
    // A workplace word the pack has ("discount") next to the topic it lacks ("pet insurance").
    const pet = 'Does Brightmart offer associates a discount on pet insurance?';
    const petTerms = terms([['brightmart', 22], ['offer', 11], ['associates', 33], ['discount', 1], ['pet', 0], ['insurance', 0]]);
    const discount = answerFeaturesOf({ bm25: 12.5, matchedLexemes: ['associates', 'discount', 'offer'], titleTerms: 3, corpusChunks: 40 }, petTerms, new Set(['brightmart']), nounsIn(pet), { ask: askingWords(pet), synonyms: synonymsByWord(pet) });
    expect(discount.askUnknown).toBe(2);
    expect(discount.askKey).toBe(0);
    expect(discount.askCoverage).toBeLessThan(0.5);
    // The same passage for the question without the topic the pack lacks scores far higher.
    const plain = 'Does Brightmart offer associates a discount?';
    const plainFeatures = answerFeaturesOf({ bm25: 12.5, matchedLexemes: ['associates', 'discount', 'offer'], titleTerms: 3, corpusChunks: 40 }, petTerms.slice(0, 4), new Set(['brightmart']), nounsIn(plain), { ask: askingWords(plain), synonyms: synonymsByWord(plain) });
    expect(answerScoreOf(plainFeatures) - answerScoreOf(discount)).toBeGreaterThan(0.1);
    const bare = answerFeaturesOf({ bm25: 6, matchedLexemes: ['associates', 'discount'], titleTerms: 1, corpusChunks: 40 }, petTerms, new Set(['brightmart']), nounsIn(pet), { ask: askingWords(pet), synonyms: synonymsByWord(pet) });
    expect(answerScoreOf(bare)).toBeLessThan(ANSWER_THRESHOLD);

    // The story sets the scene; the question asks about the funeral, which the pack calls bereavement.
    const funeral = "Tanya's grandmother passed away last night. How many days can she have off for the funeral?";
    expect([...askingWords(funeral)]).toEqual(expect.arrayContaining(['funeral', 'days']));
    expect(askingWords(funeral).has('grandmother')).toBe(false);
    expect(synonymsByWord(funeral).get('funeral')).toEqual(expect.arrayContaining(['bereavement']));
    const funeralTerms = terms([['tanyas', 0], ['grandmother', 0], ['passed', 1], ['away', 2], ['night', 3], ['many', 5], ['days', 9], ['funeral', 0]]);
    const bereavement = answerFeaturesOf({ bm25: 11, matchedLexemes: ['bereav', 'compassion', 'days', 'leav'], titleTerms: 2, corpusChunks: 40 }, funeralTerms, new Set(['tanya']), nounsIn(funeral), { ask: askingWords(funeral), synonyms: synonymsByWord(funeral) });
    expect(bereavement.askUnknown).toBe(0);
    expect(bereavement.askKey).toBe(1);
    expect(answerScoreOf(bereavement)).toBeGreaterThanOrEqual(ANSWER_THRESHOLD);
  });

  it('reads a question the story reports when the asking sentence only points back at it', async () => {
    const { answerFeaturesOf, nounsIn } = await import('~/.server/culture/answerability');
    const { askContextOf, askingWords } = await import('~/.server/culture/query-terms');
    const wedding = 'One of my cashiers just got engaged and asked if Brightmart gives any wedding leave or a gift. I didn\'t want to guess. Do we?';
    const ask = askingWords(wedding);
    expect([...ask]).toEqual(expect.arrayContaining(['wedding', 'leave', 'gift', 'do', 'we']));
    // The story around it is not the question.
    expect(ask.has('engaged')).toBe(false);
    expect(ask.has('guess')).toBe(false);
    const weddingTerms = terms([['one', 9], ['cashiers', 4], ['engaged', 0], ['brightmart', 22], ['gives', 6], ['wedding', 0], ['leave', 9], ['gift', 2], ['guess', 0]]);
    const leave = answerFeaturesOf({ bm25: 10, matchedLexemes: ['cashier', 'give', 'leav'], titleTerms: 1, corpusChunks: 40 }, weddingTerms, new Set(['brightmart']), nounsIn(wedding), askContextOf(wedding));
    // "Do we?" alone names no topic; the reported question does, and the pack has no word for weddings.
    expect(leave.askVague).toBe(0);
    expect(leave.askUnknown).toBe(1);
    expect(leave.askKey).toBe(0);
    // "wants to know whether" reports a question too.
    expect(askingWords('Kayla wants to know whether her PTO rolls over. She was upset. What do I say?').has('pto')).toBe(true);
  });

  it('reads the sentence a pointing-back question stands for as part of what is asked', async () => {
    const { askingWords } = await import('~/.server/culture/query-terms');
    // "it" is the lateness told just before: the lateness is asked about, not only "raise".
    const late = 'I manage a small team on the early shift. Marco has turned up twenty minutes late three times this month. How should I raise it with him?';
    const ask = askingWords(late);
    expect([...ask]).toEqual(expect.arrayContaining(['late', 'raise', 'times', 'month']));
    // Only the sentence it points back to: the scene before that is not asked about.
    expect(ask.has('early')).toBe(false);
    // A question that names its own topic does not pull in the sentence before it.
    const own = 'Marco has turned up late three times this month. How long can a lunch break be?';
    expect(askingWords(own).has('late')).toBe(false);
  });

  it('walks back past a sentence that continues the story, and never asks about contact details', async () => {
    const { askingWords } = await import('~/.server/culture/query-terms');
    const told = 'Priya has missed two handovers this week. Her number is 07700 900123 and her email is priya@example.com. Can I bring it up at her review?';
    const ask = askingWords(told);
    expect([...ask]).toEqual(expect.arrayContaining(['missed', 'handovers', 'review']));
    for (const word of ['email', 'number', 'example', '07700']) expect(ask.has(word)).toBe(false);
    // A continuing sentence that tells more of the story is read with the one it continues.
    const more = 'Sam was rude to a customer on Monday. He also swore at a colleague. How do I address this?';
    expect([...askingWords(more)]).toEqual(expect.arrayContaining(['rude', 'customer', 'swore', 'colleague']));
  });

  it('tells a phone number from years and dates', async () => {
    const { givesContact } = await import('~/.server/culture/query-terms');
    for (const contact of ['Her number is 07700 900123.', 'Call him on +44 (0)20 7946 0958.', 'Ring 555-0123-44.', 'Her email is priya@example.com.', 'Text [PHONE_1].']) expect(givesContact(contact)).toBe(true);
    for (const story of ['She has been late every week of the 2024 - 2025 rota.', 'He started on 12-03-2025 and was late twice.', 'We did 1999-2004 in the old store.', 'Marco was late three times.']) expect(givesContact(story)).toBe(false);
    // So a pointing-back question still reads a sentence that only mentions years.
    const { askingWords } = await import('~/.server/culture/query-terms');
    expect(askingWords('Dana has been late to every Saturday shift of the 2024 - 2025 season. How do I raise it?').has('late')).toBe(true);
  });

  it('reads an elliptical question ("Is she allowed to?", "Can we?") as asking about the sentence before it', async () => {
    const { askingWords } = await import('~/.server/culture/query-terms');
    const candles = 'I run the overnight crew. One of my associates wants to sell homemade candles to coworkers in the break room. Is she allowed to?';
    const ask = askingWords(candles);
    expect([...ask]).toEqual(expect.arrayContaining(['sell', 'candles', 'coworkers']));
    expect(ask.has('overnight')).toBe(false);
    expect([...askingWords('A few agents want a book club in the canteen. Can we?')]).toEqual(expect.arrayContaining(['book', 'club', 'canteen']));
    // A question that says what it asks stands on its own.
    expect(askingWords('Marco was late again. Can he swap his Sunday shift?').has('late')).toBe(false);
  });

  it('reads a weekday or a word for a co-worker the pack does not use as who and when, not as a topic it lacks', async () => {
    const { answerFeaturesOf, nounsIn } = await import('~/.server/culture/answerability');
    const { askContextOf } = await import('~/.server/culture/query-terms');
    // A terse question (as a gloss reads): the pack says "weekend" and "team member", never "Sunday" or "colleague".
    const swap = 'employee want colleague swap shift sunday shift need approve?';
    const swapTerms = terms([['employee', 2], ['want', 10], ['colleague', 0], ['swap', 7], ['shift', 25], ['sunday', 0], ['need', 24], ['approve', 13]]);
    const passage = { bm25: 8.8, matchedLexemes: ['employe', 'swap', 'shift', 'approv'], titleTerms: 2, corpusChunks: 40 };
    const swapFeatures = answerFeaturesOf(passage, swapTerms, new Set(), nounsIn(swap), askContextOf(swap));
    expect(swapFeatures.askUnknown).toBe(0);
    expect(swapFeatures.unknownNouns).toBe(0);
    // A topic the pack lacks still counts, beside them.
    const gym = 'employee want colleague gym membership sunday need approve?';
    const gymTerms = terms([['employee', 2], ['want', 10], ['colleague', 0], ['gym', 0], ['membership', 0], ['sunday', 0], ['need', 24], ['approve', 13]]);
    const gymFeatures = answerFeaturesOf({ ...passage, matchedLexemes: ['employe', 'approv'] }, gymTerms, new Set(), nounsIn(gym), askContextOf(gym));
    expect(gymFeatures.askUnknown).toBeGreaterThanOrEqual(1);
    // A pack that does use the word reads it as any other word of its own.
    const known = answerFeaturesOf(passage, swapTerms.map((t) => (t.word === 'sunday' ? { ...t, chunks: 3 } : t)), new Set(), nounsIn(swap), askContextOf(swap));
    expect(known.askCoverage).toBeLessThan(swapFeatures.askCoverage);
  });

  it('reads an occupation the pack never writes as who, not as a topic it lacks; a family word stays a topic', async () => {
    const { whoWord, topicNounsOf } = await import('~/.server/culture/answerability');
    for (const word of ['waiter', 'bartender', 'receptionist', 'cashier', 'driver', 'chef', 'attendants', 'colleague', 'sunday', 'guy', 'lad', 'mate', 'buddy']) expect(whoWord(word), word).toBe(true);
    for (const word of ['dog', 'job', 'parking', 'car', 'jury', 'tattoo', 'toddler', 'child', 'wife', 'daughter']) expect(whoWord(word), word).toBe(false);
    expect([...topicNounsOf('Could the bartender bring his dog?')]).toEqual(['dog']);
  });

  it('gives no answer score to a passage that holds none of what is asked when it names two things the pack never writes', async () => {
    const { answerFeaturesOf, answerScoreOf, nounsIn } = await import('~/.server/culture/answerability');
    const { askContextOf } = await import('~/.server/culture/query-terms');
    const text = 'My sous chef has taken a second job at a restaurant in town on his days off. Is he allowed to do that?';
    const own = terms([['sous', 0], ['chef', 2], ['taken', 1], ['second', 0], ['job', 0], ['restaurant', 0], ['town', 0], ['days', 9], ['off', 6], ['allowed', 0]]);
    const leave = { bm25: 17, matchedLexemes: ['day', 'off', 'leav', 'holiday'], titleTerms: 1, corpusChunks: 25 };
    const features = answerFeaturesOf(leave, own, new Set(), nounsIn(text), askContextOf(text));
    expect(features.askUnknown).toBeGreaterThanOrEqual(2);
    expect(features.askCoverage).toBe(0);
    expect(answerScoreOf(features)).toBe(0);
  });

  it('holds scored passages to the calibrated probability threshold, bare BM25 to the BM25 one', async () => {
    const { ANSWER_THRESHOLD } = await import('~/.server/culture/answerability');
    const verdict = assessAnswerability([{ bm25: 30, answerScore: 0.2 }, { bm25: 2, answerScore: 0.9 }]);
    expect(verdict.threshold).toBe(ANSWER_THRESHOLD);
    expect(verdict.supported).toEqual([{ bm25: 2, answerScore: 0.9 }]);
    expect(verdict.relevance).toBe(0.9);
  });
});
