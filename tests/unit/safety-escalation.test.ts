import { describe, expect, it } from 'vitest';
import {
  composeEscalationReply,
  escalationSectionFor,
  escalationTemplateVersion,
  loadEscalationTemplate,
} from '~/.server/safety/escalation';
import { classifyMessage } from '~/.server/safety/classifier';
import { refusalReply, safeReplacementReply } from '~/.server/safety/replies';
import type { SupportResources } from '~/lib/culture';

const resources: SupportResources = {
  eap: { name: 'BrightMart Assist', phone: '0800 123 456', url: 'https://assist.example.com', hours: '24/7' },
  hrContact: { name: 'HR team', email: 'hr@example.com' },
  supportContact: { name: 'Dana from People Support', email: 'dana@example.com' },
  defaultCountry: 'US',
  byCountry: {},
};

const template = await loadEscalationTemplate();
const selfCrisis = classifyMessage("I'm going to kill myself tonight");

describe('escalation template', () => {
  it('is versioned and has a section per situation', () => {
    expect(escalationTemplateVersion(template)).toBe('2');
    for (const section of ['self', 'still_here', 'third_party', 'medical', 'violence']) {
      expect(template).toMatch(new RegExp(`^## ${section}$`, 'm'));
    }
  });
});

describe('composeEscalationReply', () => {
  it('acknowledges, cares, asks about safety, lists resources and offers a human (US: 988, 911)', () => {
    const reply = composeEscalationReply({ verdict: selfCrisis, resources, country: 'US', template });
    expect(reply).toMatch(/glad you told me/i);
    expect(reply).toMatch(/you matter/i);
    expect(reply).toMatch(/are you safe right now\?/i);
    expect(reply).toContain('988 Suicide & Crisis Lifeline: call or text 988');
    expect(reply).toContain('call 911');
    expect(reply).toContain('BrightMart Assist (your employee assistance programme): 0800 123 456');
    expect(reply).toContain('Dana from People Support');
    expect(reply).toMatch(/only if you choose to/);
    expect(reply).not.toMatch(/\{\{|<!--/);
  });

  it('falls back to findahelpline.com where no country resources are known', () => {
    const reply = composeEscalationReply({ verdict: selfCrisis, resources, country: 'BR', template });
    expect(reply).toContain('https://findahelpline.com');
    expect(reply).toContain('your local emergency number');
    expect(reply).not.toContain('988');
  });

  it("uses the tenant's default country and its own country overrides", () => {
    const gb = { ...resources, defaultCountry: 'GB' };
    expect(composeEscalationReply({ verdict: selfCrisis, resources: gb, template })).toContain('Samaritans: call or text 116 123');
    const custom: SupportResources = {
      ...resources,
      byCountry: { US: { emergency: '911', crisisLine: 'Acme Crisis Line', crisisPhone: '555 0100' } },
    };
    expect(composeEscalationReply({ verdict: selfCrisis, resources: custom, country: 'us', template })).toContain('Acme Crisis Line: call or text 555 0100');
  });

  it('guides a manager supporting someone else, with the same resources', () => {
    const verdict = classifyMessage('One of my team said she wants to end it all');
    expect(escalationSectionFor(verdict)).toBe('third_party');
    const reply = composeEscalationReply({ verdict, resources, country: 'US', template });
    expect(reply).toMatch(/is the person safe right now\?/i);
    expect(reply).toMatch(/stay with them/i);
    expect(reply).toMatch(/listen/i);
    expect(reply).toMatch(/don't promise to keep it secret/i);
    expect(reply).toMatch(/988 Suicide & Crisis Lifeline/);
    expect(reply).toContain('call 911');
    expect(reply).toContain('BrightMart Assist');
  });

  it('medical emergencies and violence get their own first step', () => {
    const medical = classifyMessage('A customer collapsed and is not breathing');
    expect(composeEscalationReply({ verdict: medical, resources, country: 'GB', template })).toMatch(/Call 999 now/);
    const violence = classifyMessage("He's threatening me right now, he's blocking the door");
    const reply = composeEscalationReply({ verdict: violence, resources, country: 'US', template });
    expect(escalationSectionFor(violence)).toBe('violence');
    expect(reply).toMatch(/are you safe right now\?/i);
    expect(reply).toContain('call 911 now');
  });

  it('works without an EAP and keeps tenant text from breaking the markdown', () => {
    const plain = { ...resources, eap: null, supportContact: { name: 'Sam\n## injected <b>' } };
    const reply = composeEscalationReply({ verdict: selfCrisis, resources: plain, country: 'US', template });
    expect(reply).not.toContain('employee assistance programme');
    expect(reply).not.toMatch(/\n## injected|<b>/);
    expect(reply).toContain('988');
  });

  it('never returns an empty reply, even with a broken template', () => {
    const reply = composeEscalationReply({ verdict: selfCrisis, resources, country: 'US', template: '<!-- version: 9 -->' });
    expect(reply).toMatch(/are you safe right now\?/i);
    expect(reply).toContain('988');
  });
});

describe('replacement and refusal replies', () => {
  it('a failed output is replaced with a safe, category-aware answer', () => {
    const reply = safeReplacementReply({ categories: ['medical_advice', 'discrimination'] });
    expect(reply).toMatch(/can't give medical advice/);
    expect(reply).toMatch(/never on age, pregnancy/);
    expect(reply).not.toMatch(/mg\b/);
  });

  it('injection and many-shot attempts are refused politely and coaching is offered', () => {
    expect(refusalReply({ categories: ['prompt_injection'] })).toMatch(/can’t change or reveal the instructions/);
    expect(refusalReply({ categories: ['jailbreak'], manyShot: true })).toMatch(/scripted conversation/);
    expect(refusalReply()).toMatch(/happy to help/);
  });
});
