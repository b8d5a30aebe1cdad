import { describe, expect, it } from 'vitest';
import { continuesPrevious, followUpStoryOf } from '~/.server/culture/follow-up';

describe('follow-up questions (retrieval reads the previous message)', () => {
  it('reads a short question that points back, or opens by continuing, with the previous message', () => {
    for (const text of ['And if she is late again next week, what are the next steps?', 'What if it puts one of them over 40 hours?', 'Does he need to show us anything for it?', 'She asked me to keep it between us. Can I?', 'Should I write it down anywhere afterwards?']) {
      expect(continuesPrevious(text), text).toBe(true);
    }
  });

  it('searches a question of its own alone: it names its topic, or says it changes the subject', () => {
    for (const text of [
      'How many bereavement days do associates get when a parent dies?',
      'Also, what is the associate discount and who can use it?',
      'Different question: how long can colleagues stay in the frozen chamber?',
      'Thanks. Separately, how much annual leave can agents carry over into next year?',
      'Can she bring her dog and her cat to work?',
    ]) {
      expect(continuesPrevious(text), text).toBe(false);
    }
    // A long message is a message of its own.
    expect(continuesPrevious(`And ${'she told me a lot about her week and '.repeat(4)}what now?`)).toBe(false);
  });

  it('gives the previous message for a follow-up, nothing for a question of its own or the first message', () => {
    const previous = 'Two of my cashiers want to trade their Saturday shifts. Can I approve that myself?';
    expect(followUpStoryOf('What if it puts one of them over 40 hours?', previous)).toBe(previous);
    expect(followUpStoryOf('Also, what is the associate discount?', previous)).toBeUndefined();
    expect(followUpStoryOf('What if it puts one of them over 40 hours?', undefined)).toBeUndefined();
  });
});
