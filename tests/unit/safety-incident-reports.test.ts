// English false alarms by class (ADR 059, session 14): an incident told after the fact with how it
// ended is a report, not a danger now; an answer "no" before a return, and a return with a later end,
// are returns; a reason denied where it is named is no reason. The same incidents still going on, and
// plans written in the same words, stay a crisis. Sentences here are written for the tests, not taken
// from the corpus.
import { describe, expect, it } from 'vitest';
import { classifyMessage } from '~/.server/safety/classifier';
import { extractFeatures } from '~/.server/safety/features';
import { incidentOver } from '~/.server/safety/input-rules';
import { foldScripts } from '~/.server/safety/lexicon/match';
import { foldForMatching, sanitizeText } from '~/.server/safety/normalize';

const folded = (text: string) => foldForMatching(sanitizeText(text));
const combos = (text: string) => extractFeatures(foldScripts(folded(text))).analysis.combos;

describe('an incident told as over', () => {
  it.each([
    'a man waved a screwdriver at my cashier and then left, police have the footage',
    'the courier who threatened to punch our receptionist has been banned from the building',
    'a lorry backed into the shutter at 4am, nobody was hurt, how do I log the damage',
    "a diner had a seizure at the bar, the ambulance came and she's fine now",
    'someone threatened to torch the kiosk over a refund, then they stormed off',
  ])('%s', (text) => {
    expect(incidentOver(folded(text))).toBe(true);
    expect(combos(text).has('incident_over')).toBe(true);
  });

  it.each([
    // the same incident still going on
    "the man who threatened my cashier is back outside the door and he won't leave",
    'a customer is threatening my colleague with a knife right now, nobody hurt yet, what do I do',
    // a transitive "left" is no ending ("left my keys", "left a note")
    'I left my badge and a note on the desk',
    "she says she's fine but I found the blade in the staff toilet",
  ])('%s: not over', (text) => {
    expect(incidentOver(folded(text))).toBe(false);
  });

  it('sets the violence and medical rules aside, and the model alone does not escalate it', () => {
    for (const text of [
      'a man threatened to stab my cashier last night and then left, the police have his photo. how do I support her today',
      'a picker collapsed in the heat on the afternoon shift, paramedics checked him over and he is recovering at home',
      'a customer threatened to smash the counter up over a refund then ran off, do we need to write it up',
    ]) {
      expect(classifyMessage(text).level).not.toBe('crisis');
    }
  });

  it('an overdose someone was brought round from is a check-in at most', () => {
    const verdict = classifyMessage('a lad overdosed in the staff toilets a few weeks back and the paramedics brought him round, should we stock naloxone');
    expect(verdict.level).not.toBe('crisis');
  });

  it.each([
    'a customer is threatening to stab my cashier right now and he will not leave the shop',
    'a man has just collapsed at the till and he is not breathing',
    'the police came and took him away and it is all over now, so tonight I can finally go too. the tablets are counted out',
  ])('still a crisis: %s', (text) => {
    expect(classifyMessage(text).level).toBe('crisis');
  });
});

describe('returns read through an answer and a later end', () => {
  it.each([
    "no, I'll be back on Tuesday, it's only a long weekend",
    "nah I'm back Thursday, just a couple of days at my mum's",
    "no no, I'll be in on Monday as usual",
    "I'm not back till the 20th, Gemma has the keys",
    "won't be back until after my operation in March",
    "she won't be back for a year, it's her maternity leave",
  ])('%s', (text) => {
    expect(combos(text).has('return_marker')).toBe(true);
  });

  it.each([
    "No, I won't be back Monday. I won't be back at all",
    'there is no coming back from this',
    "I won't be back Monday. or any day",
  ])('%s: no return', (text) => {
    expect(combos(text).has('return_marker')).toBe(false);
  });
});

describe('a reason denied where it is named is no reason', () => {
  it.each([
    "they think I'm retiring. I'm not retiring, I'm finishing it",
    "it's not a holiday, I'm not coming home",
    "there's no retirement, I just needed a last day",
  ])('%s', (text) => {
    expect(combos(text).has('parting_reason')).toBe(false);
  });

  it.each([
    "it's not a holiday, it's jury service",
    'not retiring yet, just going down to three days',
    "I'm off on holiday from Friday",
  ])('%s: still a reason', (text) => {
    expect(combos(text).has('parting_reason')).toBe(true);
  });
});
