import { describe, expect, it } from 'vitest';
import { FOLLOW_UP_MAX_WORDS, isAcknowledgement, isFollowUp, retrievalQueryOf } from '~/.server/culture/follow-up';

describe('follow-up retrieval (ADR 063)', () => {
  const previous = "One of my cashiers keeps coming in 20 minutes late. What should I do?";

  it('searches a short follow-up after the previous user message', () => {
    expect(retrievalQueryOf('Is that paid?', [previous])).toEqual({ query: `${previous}\nIs that paid?`, followUp: true });
    expect(retrievalQueryOf('And if he is late again next week, what are the next steps?', ['older one', previous]).query.startsWith(previous)).toBe(true);
  });

  it('searches a short message that tells its own story alone, and one that points back after the previous one', () => {
    expect(isFollowUp("My team lead keeps calling our new hire 'sweetheart' and touching her shoulder. She told me she hates it. What should I do?")).toBe(false);
    expect(isFollowUp('Mi encargado llama cariño a la chica nueva delante de todos. ¿Qué hago?')).toBe(false);
    expect(isFollowUp('She asked me to keep it between us. Can I?')).toBe(true);
    expect(isFollowUp('Is that paid?')).toBe(true);
  });

  it('reads on from the story before an acknowledgement, not from the acknowledgement', () => {
    expect(retrievalQueryOf('Is that paid?', [previous, 'Thanks, that helps!'])).toEqual({ query: `${previous}\nIs that paid?`, followUp: true });
    expect(retrievalQueryOf('Is that paid?', ['ok', 'merci'])).toEqual({ query: 'Is that paid?', followUp: false });
  });

  it('searches the message alone when it is the first, opens a new topic, or tells its own story', () => {
    expect(retrievalQueryOf('Is that paid?', [])).toEqual({ query: 'Is that paid?', followUp: false });
    for (const text of [
      'Different question: how much notice does someone need to give to swap a shift?',
      'Unrelated, but can I give a box of chocolates to a customer?',
      'Separate thing: how do we nominate someone for Customer Hero?',
      'Ok thanks. Another question — who approves overtime?',
      'Otra pregunta: ¿cuántos días de vacaciones tiene?',
      'Autre question : qui valide les échanges de poste ?',
      'Andere Frage: wer genehmigt Überstunden?',
    ])
      expect(isFollowUp(text), text).toBe(false);
    const story = Array.from({ length: FOLLOW_UP_MAX_WORDS + 1 }, (_, i) => `word${i}`).join(' ');
    expect(retrievalQueryOf(story, [previous]).followUp).toBe(false);
  });

  it('searches a short English question that brings its own subject alone, and one that leans on the conversation after it (ADR 067)', () => {
    for (const text of [
      'Can my team vote on who gets christmas eve off or does that break some rule?',
      'How long can a driver go before a break?',
      'Is there a budget for a team pizza?',
      'Are associates allowed to have their phones on the sales floor?',
      'Can an agent hang up on a caller who is swearing at them?',
      'can a seasonal hire work the register by himself on day two',
      'How many days of bereavement leave does someone get if their grandmother died?',
    ])
      expect(isFollowUp(text), text).toBe(false);
    for (const text of [
      'And what if his wife is having a baby then?',
      'ok, and what about his earrings?',
      'Can I ban the guest from the store?',
      'Would the store manager have to sign off?',
      'Should I go straight to a PIP?',
      'Should I have stepped in earlier?',
      'Do I need to do a meeting with him?',
      'Does the uniform come out of their wages?',
      'Can I just have a quiet word with him about it myself?',
      // Pro-drop languages leave the subject out: every short message reads on, as before.
      '¿Necesita un justificante del médico?',
      'Moet ze een briefje van de dokter hebben?',
    ])
      expect(isFollowUp(text), text).toBe(true);
  });

  it('never reads an empty or blank message as a follow-up', () => {
    expect(isFollowUp('')).toBe(false);
    expect(isFollowUp('   ')).toBe(false);
    expect(retrievalQueryOf('¿Y si vuelve a llegar tarde?', ['  ']).followUp).toBe(false);
    expect(retrievalQueryOf('¿Y si vuelve a llegar tarde?', [previous]).followUp).toBe(true);
  });

  it('tells a follow-up that names a topic the pack never uses (the thesaurus knows no policy word for it)', async () => {
    const { namesTopicThePackLacks } = await import('~/.server/culture/retrieve');
    const terms = (chunks: Record<string, number>) => Object.entries(chunks).map(([word, n]) => ({ word, lexeme: word, chunks: n }));
    const noSynonyms = new Map<string, string[]>();
    expect(namesTopicThePackLacks('Can he get a parking space closer to the door instead?', terms({ parking: 0, space: 0, door: 2, closer: 0 }), noSynonyms)).toBe(true);
    expect(namesTopicThePackLacks('What if it puts one of them over 40 hours?', terms({ puts: 0, hours: 5 }), noSynonyms)).toBe(false);
    expect(namesTopicThePackLacks('Is that paid?', terms({ paid: 3 }), noSynonyms)).toBe(false);
    // A word the search returned no count for (cut from a long text) is not judged.
    expect(namesTopicThePackLacks('Can he get a parking space?', terms({}), noSynonyms)).toBe(false);
    // A word the thesaurus gives a policy word for is known.
    expect(namesTopicThePackLacks('Does the funeral count?', terms({ funeral: 0 }), new Map([['funeral', ['bereavement']]]))).toBe(false);
  });

  it('tells a message that only acknowledges the answer, in many languages, from one that still asks', () => {
    for (const text of [
      'Thanks, that helps!', 'ok', 'OK.', 'great, cheers', 'Perfect, thank you so much 🙏', "Got it, I'll do that.", "That's really useful, appreciate it",
      'thank you very much for your help', '👍', 'merci', 'Merci beaucoup, c’est noté', 'gracias', 'gracias, muy útil', 'Vale, perfecto', 'Danke, super!',
      'Vielen Dank, das hilft', 'obrigada!', 'grazie mille', 'Dziękuję bardzo', 'dank je wel', 'Mulțumesc', 'дякую', 'salamat po', 'cảm ơn', 'شكرا', '好的，谢谢', 'धन्यवाद',
    ])
      expect(isAcknowledgement(text), text).toBe(true);
    for (const text of [
      'Thanks. Does he need to show proof of it?', 'ok, and what about his earrings?', 'Is that paid?', 'Thanks, and can she swap Sunday',
      'ok so what if he refuses', 'yes', 'no', 'Thanks for the shout-out policy', 'Great team work award', 'Good morning', 'gracias pero ¿y si no lo trae?',
      'Merci, mais il refuse de venir', '',
    ])
      expect(isAcknowledgement(text), text).toBe(false);
  });
});
