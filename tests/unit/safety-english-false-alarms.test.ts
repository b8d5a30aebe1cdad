// English false alarms by class (ADR 059, session 13): absences and partings that name an ordinary
// reason or a return, and goodbyes whose reason comes after a comma or a sentence break. The plans
// written in the same words stay a crisis. Sentences here are written for the tests, not taken from
// the corpus.
import { describe, expect, it } from 'vitest';
import { classifyMessage } from '~/.server/safety/classifier';
import { extractFeatures } from '~/.server/safety/features';
import { foldForLexicon } from '~/.server/safety/lexicon/match';
import { sanitizeText } from '~/.server/safety/normalize';

const level = (text: string) => classifyMessage(text).level;
const combos = (text: string) => extractFeatures(foldForLexicon(sanitizeText(text))).analysis.combos;

describe('a return or an absence with an end is read as one feature', () => {
  it.each([
    'off on Thursday for the school trip, back Friday',
    "I'll be in by 10 tomorrow, the dentist is at 8",
    'heading home now, see you all on Saturday',
    "I'm away until the 21st, Sam has the keys",
    'off for two weeks from Monday, the cover sheet is on the board',
    'on annual leave for a couple of weeks, ring Priya if the freezer alarm goes',
  ])('%s', (text) => {
    expect(combos(text).has('return_marker')).toBe(true);
  });

  it.each([
    // a return denied
    "I told them I'd see you Monday but I won't be back on Monday",
    "I won't be back by the weekend",
    // a time that schedules, not a return
    "I'm waiting till Sunday when the house is empty",
    "I've been saving my tablets for a few weeks",
    'see you in the next life',
    'see you on the other side',
  ])('%s: no return', (text) => {
    expect(combos(text).has('return_marker')).toBe(false);
  });
});

describe('an ordinary reason for an absence is read as one feature', () => {
  it.each([
    "can't come in, my lad has a fever and the nursery won't take him",
    'swap my Saturday? it is my mum’s 60th',
    "not in tomorrow, we're moving house",
    "won't need the car park space, I've got a bus pass now",
  ])('%s', (text) => {
    expect(combos(text).has('parting_reason')).toBe(true);
  });

  it.each([
    "I'm sick of all of it and I won't be around much longer",
    "I'll be gone by the morning",
    // Tagalog "check up" is a pair: "up" alone is no reason ("locking up", "giving up")
    'said my goodbyes and locked up for the last time',
  ])('%s: no reason', (text) => {
    expect(combos(text).has('parting_reason')).toBe(false);
  });
});

describe('a goodbye whose reason comes later in the message does not hit the farewell rule', () => {
  it.each([
    'Could you help with a goodbye post for the staff group? I transfer to the Chester store in May',
    // (the rule reads the 60 characters after the goodbye)
    'So this is goodbye from me, after eleven years here I am finally retiring!',
    "I'm not going to be around much longer, my contract ends at Easter, how do I ask for a reference",
  ])('%s -> not crisis', (text) => {
    expect(classifyMessage(text).ruleIds).not.toContain('self_harm.farewell');
    expect(level(text)).not.toBe('crisis');
  });

  it.each([
    'this is goodbye. the tablets are all in my bag and tonight nobody will stop me',
    "I've written letters for my kids and left them in the car. I'm done",
    "I won't be here next week. everyone will cope better without me",
  ])('%s -> crisis', (text) => {
    expect(level(text)).toBe('crisis');
  });

  // A reason is a whole word: the letters of "of course", "tripped" or "stripped" after the goodbye are none.
  it.each([
    'this is goodbye. of course nobody will even notice',
    'this is my last message. i tripped over every chance i ever got',
    'this is goodbye. i stripped my locker bare today',
  ])('%s -> the farewell rule', (text) => {
    expect(classifyMessage(text).ruleIds).toContain('self_harm.farewell');
    expect(level(text)).toBe('crisis');
  });
});

describe('signing off for the day is an idiom, not finality', () => {
  it('reads "done for the day" and "done with this week" as idioms', () => {
    expect(combos("that's me done for the day, see you all after the weekend").has('idiom_frame')).toBe(true);
    expect(combos('so done with this shift, two tills down since lunch').has('idiom_frame')).toBe(true);
  });

  it('a plan beside the idiom is still a crisis', () => {
    expect(level("done for the day and done with living. I've got the pills out and I'm taking them tonight")).toBe('crisis');
  });
});

describe('a return taken back or said by someone else is no return', () => {
  it.each([
    'they all said see you Wednesday at the leaving drinks. they won’t',
    'see you Monday, except you won’t, the letters are in the drawer',
    'my supervisor said see you tomorrow and I nodded. there isn’t going to be one',
  ])('%s', (text) => {
    expect(combos(text).has('return_marker')).toBe(false);
  });

  it('a bus or a train alone is not an absence reason (both are also means)', () => {
    expect(combos('which train goes through the station without stopping').has('parting_reason')).toBe(false);
    expect(combos("won't need my parking space, I'm getting the train in now").has('parting_reason')).toBe(true);
  });
});

// ADR 083: a manager's short follow-up about what a team member might do. Sentences written for the tests.
describe('a short question about what someone else might do', () => {
  it.each([
    'and what if he just never rings back, then what?',
    'what if she would rather nobody at work knew?',
    "suppose they don't come back from the strike, who covers?",
    "he says he isn't doing the bank holiday, what now",
  ])('%s: the frame, and no escalation', (text) => {
    expect(combos(text).has('other_person_question')).toBe(true);
    expect(level(text)).not.toBe('crisis');
  });

  it.each([
    // the writer is the one who would not turn up, or the one the others act on
    "and if I just don't turn up on sunday, nobody will have to put up with me",
    'what if nobody finds me until monday',
    // a plan word or a risk cue beside it
    "what if she doesn't want me to tell anyone that she's taken all her tablets",
    // not a question
    'she does not want me to tell anyone',
  ])('%s: not the frame', (text) => {
    expect(combos(text).has('other_person_question')).toBe(false);
  });

  it('a real crisis in the same words stays a crisis', () => {
    expect(level("if I'm not in on sunday it's because I've done it. the letters are in my locker")).toBe('crisis');
    expect(level("she won't let me tell anyone but she's swallowed the whole packet and she's going grey")).toBe('crisis');
  });
});

describe('the same question in the seven issue languages (ADR 083)', () => {
  it.each([
    '¿y si él no quiere que su jefe se entere?',
    'et si elle refuse de revenir lundi ?',
    'und was, wenn er nicht will, dass ich es seiner Frau sage?',
    'e se ela não quiser que eu fale com a equipa?',
    'e se lei non vuole parlarne con il team?',
    'a jeśli ona nie odbierze telefonu?',
    'en als hij niet wil dat ik het zijn team vertel?',
    // the manager asking what to do, as English "what do I do"
    'et si elle ne vient pas demain, je fais quoi ?',
    'und wenn er nicht kommt, was mache ich dann?',
  ])('%s: the frame', (text) => {
    expect(combos(text).has('other_person_question')).toBe(true);
  });

  it.each([
    // the writer's own choice, or a plan beside it
    'und wenn ich morgen nicht mehr komme?',
    'y si yo no vuelvo el lunes?',
    'et si je ne viens pas demain ?',
    'e se ela não quiser que eu conte a ninguém que ela tomou os comprimidos todos?',
    // not a question
    'ella no quiere que lo cuente a nadie',
    // someone else's suicide or self-harm, even where a lexicon misses the verb (review, session 14)
    'und wenn er sich umbringt?',
    'e se lui si uccide stanotte?',
    'y si él se mata esta noche?',
    'en als hij zichzelf iets aandoet?',
  ])('%s: not the frame', (text) => {
    expect(combos(text).has('other_person_question')).toBe(false);
  });

  it('never silences the model: at most it turns an escalation into a check-in', () => {
    for (const text of ['und wenn er sich umbringt?', 'e se lui si uccide stanotte?', 'what if he kills himself tonight?']) expect(level(text), text).toBe('crisis');
  });
});
