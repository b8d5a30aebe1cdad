// A short reply just after the person's own crisis is read with that crisis (ADR 075): "yes its now.
// im at home" answers the coach's "Are you safe right now?", and gets the escalation reply again
// (section still_here), never coaching. The same reply after ordinary talk is read alone, and a
// later message in a crisis conversation is answered with a check-in first.
import { describe, expect, it } from 'vitest';
import { decideInput, TurnVerdicts } from '~/.server/coach/input-safety';
import { classifyMessage, readMessage } from '~/.server/safety/classifier';
import { escalationSectionFor } from '~/.server/safety/escalation';
import { REPLY_AFTER_CRISIS_RULE } from '~/lib/safety';

const CRISIS = 'i dont really know why im typing this here. ive been giving my stuff away to the lads on the team this week and i think sunday is it for me';
const REPLIES = ['yes its now. im at home', 'no', 'idk', "I'm fine now, it was a bad moment", 'sí, estoy sola en casa', 'can you just help me with the rota', '😢', '...'];

describe('a short reply after the person\'s crisis', () => {
  it('is a crisis, answered with the still_here section', () => {
    expect(classifyMessage(CRISIS).level).toBe('crisis');
    for (const reply of REPLIES) {
      expect(classifyMessage(reply).level, reply).not.toBe('crisis');
      const verdict = classifyMessage(reply, { recentUserMessages: [CRISIS] });
      expect(verdict.level, reply).toBe('crisis');
      expect(verdict.ruleIds, reply).toContain(REPLY_AFTER_CRISIS_RULE);
      expect(verdict.categories, reply).toContain('self_harm');
      expect(verdict.thirdParty, reply).toBe(false);
      expect(escalationSectionFor(verdict), reply).toBe('still_here');
    }
  });

  it('holds for one more reply, then the conversation moves on', () => {
    expect(classifyMessage('at home', { recentUserMessages: [CRISIS, 'yes'] }).level).toBe('crisis');
    expect(classifyMessage('at home', { recentUserMessages: [CRISIS, 'yes', 'ok'] }).level).not.toBe('crisis');
  });

  it('keeps who was at risk: a team member in danger stays the third-party reply', () => {
    const theirs = 'One of my pickers just told me he is going to kill himself tonight, he is sitting in his car in the yard';
    const before = classifyMessage(theirs);
    expect(before).toMatchObject({ level: 'crisis', thirdParty: true });
    const verdict = classifyMessage('yes hes still there', { recentUserMessages: [theirs] });
    expect(verdict).toMatchObject({ level: 'crisis', thirdParty: true });
    expect(escalationSectionFor(verdict)).toBe('third_party');
  });

  it('is read alone after ordinary talk, and a long message after a crisis is read alone too', () => {
    for (const context of [['Two of my cashiers keep swapping shifts without telling me. What should I do?'], ['this rota will be the death of me honestly'], ['We are killing it on sales this week, how do I recognise the team?']]) {
      for (const reply of REPLIES) expect(classifyMessage(reply, { recentUserMessages: context })).toEqual(classifyMessage(reply));
    }
    const long = 'Thanks. Separate thing: two of my cashiers keep swapping shifts without telling me and the rota is a mess again this week.';
    expect(classifyMessage(long, { recentUserMessages: [CRISIS] }).ruleIds).not.toContain(REPLY_AFTER_CRISIS_RULE);
  });

  it('reads the earlier messages\' verdicts from the turn: no text is classified twice', () => {
    const verdicts = new TurnVerdicts();
    verdicts.verdict(CRISIS);
    const before = verdicts.classifications;
    const decision = decideInput('yes its now. im at home', [CRISIS], verdicts);
    expect(decision.kind).toBe('escalate');
    // The reply alone, then again with its context; the crisis message was not classified again.
    expect(verdicts.classifications - before).toBe(2);
    expect(readMessage('yes its now. im at home').withContext([CRISIS])).toEqual(classifyMessage('yes its now. im at home', { recentUserMessages: [CRISIS] }));
  });
});

describe('a later message in a conversation that held a crisis', () => {
  it('is answered with a check-in first, without changing its verdict', () => {
    const text = 'Thanks. Separate thing: two of my cashiers keep swapping shifts without telling me and the rota is a mess again this week.';
    const calm = decideInput(text, ['ok', 'yes'], new TurnVerdicts(), 'none');
    const after = decideInput(text, ['ok', 'yes'], new TurnVerdicts(), 'crisis');
    expect(calm.kind).toBe('proceed');
    expect(after.kind).toBe('check-in');
    expect(after.verdict).toEqual(calm.verdict);
    // A concern conversation does not turn every later message into a check-in.
    expect(decideInput(text, ['ok'], new TurnVerdicts(), 'concern').kind).toBe('proceed');
  });
});
