// Issue 9, false alarms (ADR 050): the classes fixed for precision, each next to the crisis or
// concern it must not lose. Real classifier and model; sentences written for the tests, not taken
// from the corpus.
import { describe, expect, it } from 'vitest';
import { classifyMessage } from '~/.server/safety/classifier';
import { analyseCues } from '~/.server/safety/features';
import { LANGUAGE_BIT } from '~/.server/safety/lexicon/languages';
import { foldForLexicon, messageLanguages, tokenizeWithSentences } from '~/.server/safety/lexicon/match';

const level = (text: string) => classifyMessage(text).level;
const cues = (text: string) => {
  const folded = foldForLexicon(text);
  return analyseCues(folded, tokenizeWithSentences(folded));
};
const languages = (text: string) => messageLanguages(tokenizeWithSentences(foldForLexicon(text)));

describe('lexicon entries match only in the languages the message is in', () => {
  it('reads a Dutch or German message without the English entries ("die" is an article there)', () => {
    const dutch = languages('Ik ga die kratten morgen bij de klant ophalen');
    expect(dutch & LANGUAGE_BIT.nl).not.toBe(0);
    expect(dutch & LANGUAGE_BIT.en).toBe(0);
    expect(cues('Ik ga die kratten morgen bij de klant ophalen').present.has('die')).toBe(false);
    expect(cues('Wir holen die Kisten morgen mit dem Transporter ab').present.has('die')).toBe(false);
  });

  it('does not read English "to"/"em" as the Vietnamese first person (tớ, em)', () => {
    const analysis = cues('how to set up the new rota for the evening team');
    expect(analysis.present.has('self')).toBe(false);
    expect(languages('how to set up the new rota for the evening team') & LANGUAGE_BIT.vi).toBe(0);
  });

  it('still reads the Vietnamese first person in Vietnamese', () => {
    expect(cues('Em mệt quá, tối nay em về sớm nhé').present.has('self')).toBe(true);
  });

  it('reads every language when a message is too short to tell', () => {
    expect(languages('kms tonight')).toBe((1 << 15) - 1);
  });

  it('keeps English entries in Taglish and Hinglish', () => {
    expect(languages('uwi na ako, ayoko na talaga, I want to die') & LANGUAGE_BIT.en).not.toBe(0);
  });
});

describe('short scheduling, pick-up and sign-off messages are not a crisis, in several languages', () => {
  it.each([
    'Ik ga die kratten morgen bij de klant ophalen',
    'nos vemos el jueves en el turno de la mañana',
    'Anh ơi, chủ nhật em làm ca tối nhé',
    'Tớ lấy chìa khóa kho rồi, mai tớ mở cửa',
  ])('%s', (text) => {
    expect(level(text)).not.toBe('crisis');
  });

  it.each([
    'ik wil niet meer leven, vannacht neem ik alle pillen die ik heb',
    'mañana después del turno me voy a quitar la vida, ya lo decidí',
    'Em không muốn sống nữa, tối nay em sẽ uống hết chỗ thuốc',
    'Morgen nach der Schicht bringe ich mich um, ich habe alles vorbereitet',
  ])('a plan with the same time words stays a crisis: %s', (text) => {
    expect(level(text)).toBe('crisis');
  });
});

describe('ordinary management questions in English are not flagged', () => {
  it.each([
    'I have to tell the weekend staff we are cutting hours from January',
    'how do I cut back overtime without upsetting the team',
    'Dana keeps showing up late for the 7am start, what is a fair way to raise it',
    'alright, thanks. I will speak to the two of them on Monday',
  ])('%s', (text) => {
    expect(level(text)).toBe('none');
  });

  it('cutting as self-harm is still ongoing self-harm', () => {
    expect(level('I started cutting again last week and I hide it under my sleeves')).not.toBe('none');
  });
});

describe('a death told about someone else is not a crisis; a colleague’s suicide gets a check-in', () => {
  it('news of a public figure is not a crisis', () => {
    expect(level('The radio said a well known chef took his own life, it has been in the papers all week')).not.toBe('crisis');
  });

  it('a colleague who took his own life: a check-in for the manager, not an escalation', () => {
    expect(level('One of my warehouse team took his own life at the weekend and I have no idea how to support everyone')).toBe('concern');
  });

  it('someone doing it now is still a crisis', () => {
    expect(level('my colleague says he is going to kill himself tonight, he has the pills with him')).toBe('crisis');
  });

  it('the first person is still a crisis', () => {
    expect(level('I am going to take my own life after this shift')).toBe('crisis');
  });
});
