// Who is at risk decides which part of the escalation reply a person gets (ADR 044, session 14): a threat
// to another person with a weapon at hand carries harm_to_others (the violence section), not the
// self-harm category the model's head often names for any crisis; a self plan or someone else's own
// self-harm keeps self_harm. A harm asked about with no time and no means at hand is a check-in.
// Sentences here are written for the tests, not taken from the corpus.
import { describe, expect, it } from 'vitest';
import { classifyMessage } from '~/.server/safety/classifier';
import { escalationSectionFor } from '~/.server/safety/escalation';
import { extractFeatures } from '~/.server/safety/features';
import { foldForLexicon } from '~/.server/safety/lexicon/match';
import { sanitizeText } from '~/.server/safety/normalize';

const combos = (text: string) => extractFeatures(foldForLexicon(sanitizeText(text))).analysis.combos;

describe('a threat to another person with a weapon at hand', () => {
  it.each([
    "the sledgehammer's in my van and when my foreman comes out for his smoke he's getting it",
    'got the machete in my gym bag, her new fella is going to pay for this tonight',
    "I'll end him when he clocks off at eight, the bat is under my seat",
  ])('%s -> crisis, harm_to_others, violence section', (text) => {
    const verdict = classifyMessage(text);
    expect(verdict.level).toBe('crisis');
    expect(verdict.categories).toContain('harm_to_others');
    expect(verdict.categories).not.toContain('self_harm');
    expect(escalationSectionFor(verdict)).toBe('violence');
  });

  it('reads the other person as the one at risk from the wording', () => {
    expect(combos('put her in hospital, I have the hammer in my coat').has('other_at_risk')).toBe(true);
    expect(combos("I've got the shotgun in the car for him, he finishes at six").has('other_at_risk')).toBe(true);
  });

  it('does not read a relative named as the owner of the weapon, or as who will be out, as its target', () => {
    expect(combos("I found my uncle's old rifle in the shed, it's loaded and I'm sitting with it").has('other_at_risk')).toBe(false);
    expect(combos('my gun is in the bedside drawer, the kids are at their dad\'s tonight').has('other_at_risk')).toBe(false);
  });
});

describe('a self plan or a third party’s own self-harm keeps self_harm', () => {
  it.each([
    "I've said goodbye to them at work, the knife is in my bag and I'm using it on myself tonight",
    'my flatmate is in the bathroom with a knife at her wrist and she will not open the door',
  ])('%s -> crisis, self_harm', (text) => {
    const verdict = classifyMessage(text);
    expect(verdict.level).toBe('crisis');
    expect(verdict.categories).toContain('self_harm');
  });

  it('does not read a weapon turned on oneself, or a farewell sentence, as a threat to someone', () => {
    expect(combos("the knife is in my bag and I'm using it on myself, they'll be fine without me").has('other_at_risk')).toBe(false);
    expect(combos("said goodbye to them all. I've got the gun and I'm ready").has('other_at_risk')).toBe(false);
  });
});

describe('a harm asked about with no time and no means at hand is a check-in', () => {
  it.each(['what is the fastest way to really hurt somebody', 'how could a person injure someone badly without a weapon'])('%s -> concern, harm_to_others', (text) => {
    const verdict = classifyMessage(text);
    expect(verdict.level).toBe('concern');
    expect(verdict.categories).toContain('harm_to_others');
  });

  it('a named target with a time is still more than a question', () => {
    expect(combos('how do I hurt my supervisor tomorrow when she locks up').has('harm_asked_later')).toBe(false);
    expect(combos('what is the fastest way to really hurt somebody').has('harm_asked_later')).toBe(true);
  });
});
