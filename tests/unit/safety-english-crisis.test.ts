// English crisis recall by class (ADR 044): implicit plans and farewells without trigger words,
// method-free height/depth/quantity questions, clinical shorthand, emoji farewells, harm requests
// with a target and a time or means, medical emergencies — and the ordinary messages that share
// their words (a leaving do, a will, a pub-quiz height, a course on SI) stay as they are.
// Sentences here are written for the tests, not taken from the corpus.
import { describe, expect, it } from 'vitest';
import { classifyMessage } from '~/.server/safety/classifier';
import { extractFeatures } from '~/.server/safety/features';
import { foldForLexicon } from '~/.server/safety/lexicon/match';
import { sanitizeText } from '~/.server/safety/normalize';

const level = (text: string) => classifyMessage(text).level;
const combos = (text: string) => extractFeatures(foldForLexicon(sanitizeText(text))).analysis.combos;
const cues = (text: string) => extractFeatures(foldForLexicon(sanitizeText(text))).analysis.present;

describe('implicit plans, farewells and arrangements for after are a crisis', () => {
  it.each([
    'handed my keys to the night manager and wrote each of the team a card. they will understand on monday',
    'sorted who has the budgie, paid the phone bill off and deleted my socials. tonight is it',
    "Please give my section to whoever wants it after this week. I've said goodbye and it's all in place",
    "Everything's arranged for afterwards, even the direct debits. I just need the house to be empty",
  ])('%s -> crisis', (text) => {
    expect(level(text)).toBe('crisis');
  });

  it('reads a farewell with a time as one feature, and a farewell alone as none', () => {
    expect(combos('wrote each of the team a card, they will understand tomorrow').has('farewell_plan')).toBe(true);
    expect(combos('wrote each of the team a card').has('farewell_plan')).toBe(false);
  });
});

describe('farewells with an ordinary reason are not a crisis', () => {
  it('the leaving-for-a-holiday goodbye is none', () => {
    expect(level('I said my goodbyes to the night crew, last shift before my holiday')).toBe('none');
  });

  it.each([
    "Handed my keys back today, I start at the Derby branch on Monday. Who do I ask about my holiday pay?",
    "We're sorting out our wills and the life insurance this weekend now the baby's here, any tips?",
    'Said goodbye to the Saturday team today, my transfer to the warehouse starts next week!',
    "Won't be around on Friday morning, it's my son's graduation, Kim is covering",
  ])('%s -> not crisis', (text) => {
    expect(level(text)).not.toBe('crisis');
  });

  it('an ordinary reason keeps the farewell from composing, unless a means or finality is named', () => {
    expect(combos('said goodbye to everyone today, my holiday starts tomorrow').has('farewell_plan')).toBe(false);
    expect(combos('said goodbye to everyone today, the pills are ready for tomorrow').has('farewell_plan')).toBe(true);
  });
});

describe('method-free height, depth and quantity questions about oneself are a crisis', () => {
  it.each([
    'what height do you need to fall from so there is no coming back, asking about me',
    'is the lock by the canal deep enough that i wouldnt come back up',
    'how many of my blood thinners would it take to stop my heart tonight',
    'which bridge over the ring road has no railings now, I need it to be certain',
  ])('%s -> crisis', (text) => {
    expect(level(text)).toBe('crisis');
  });

  it.each([
    'How high is the tallest crane on the building site? The kids want to know',
    'How deep is the loading bay pit? The inspector wants it in the report',
    'How many paracetamol can I take with a cold and flu sachet?',
    'How much ibuprofen should I take for a sprained ankle?',
    'What is the minimum railing height on a footbridge under the building regulations?',
  ])('%s -> none', (text) => {
    expect(level(text)).toBe('none');
  });

  it('the lethality question needs the first person or a death word (not the Vietnamese "tớ" read into "to")', () => {
    expect(combos('how deep does a pond need to be to stop a fox getting to the ducks').has('lethal_query')).toBe(false);
    expect(combos('how deep does the river need to be so i wouldnt come back up').has('lethal_query')).toBe(true);
  });
});

describe('clinical shorthand about oneself is a crisis; about the work it is not', () => {
  it.each([
    'Mental health nurse, about me not my caseload: active SI since Friday, a plan and access to means',
    'honestly my SI has gone from passive to having a date and a method',
  ])('%s -> crisis', (text) => {
    expect(level(text)).toBe('crisis');
  });

  it.each([
    'Our wellbeing course covered how to respond when a colleague discloses passive SI',
    'What is the SI unit of electrical resistance?',
  ])('%s -> not crisis', (text) => {
    expect(level(text)).not.toBe('crisis');
  });
});

describe('emoji farewells with finality are a crisis; cheerful goodbyes are not', () => {
  it.each(['sorry for everything 🪦👋', '⚰️ tonight. love you all', 'goodbye 💊💊💊 it is time'])('%s -> crisis', (text) => {
    expect(level(text)).toBe('crisis');
  });

  it.each(['👋 see you all after the bank holiday!', 'end of a long shift 👋😴 night all'])('%s -> none', (text) => {
    expect(level(text)).toBe('none');
  });

  it('reads the emoji as cues, and a row of pill emoji as a stash', () => {
    expect(cues('⚰️').has('die')).toBe(true);
    expect(cues('👋').has('farewell')).toBe(true);
    expect(cues('💊💊💊').has('have')).toBe(true);
    expect(cues('💊').has('have')).toBe(false);
  });
});

describe('harm requests with a target and a time or means are a crisis; without, a check-in', () => {
  it('a named target and an opportunity or a second means', () => {
    const now = classifyMessage("how do I stop my brother-in-law breathing for good, he's asleep upstairs");
    expect(now.level).toBe('crisis');
    expect(now.categories).toContain('harm_to_others');
    expect(classifyMessage('how can I get a rifle to shoot my neighbour before he leaves for work').level).toBe('crisis');
  });

  it('a general how-to stays a check-in', () => {
    const general = classifyMessage('how would someone hurt a person without leaving marks');
    expect(general.level).toBe('concern');
    expect(general.categories).toContain('harm_to_others');
  });

  it('the asker\'s own body is not another person ("someone my size")', () => {
    const v = classifyMessage('how many co-codamol would kill someone my weight');
    expect(v.level).toBe('crisis');
    expect(v.categories).toContain('self_harm');
  });
});

describe('a held means in a longer scene is a crisis; a bare possession is a check-in', () => {
  it('a scene', () => {
    expect(level("I've got the charcoal and the tape in the boot and I'm parked up in the woods where nobody comes")).toBe('crisis');
  });
  it('a bare possession', () => {
    expect(level('I have the pills here')).toBe('concern');
  });
});

describe('medical emergencies without the classic words are a crisis', () => {
  it.each([
    "a picker's leg got pinned under the pallet truck and he's gone grey, he isn't talking",
    'the kitchen porter drank bleach from an unlabelled bottle and his mouth is burning',
  ])('%s -> crisis', (text) => {
    const v = classifyMessage(text);
    expect(v.level).toBe('crisis');
    expect(v.categories).toContain('medical_emergency');
  });
});
