// Issue 13 item 2: the tenant's support numbers, sites and addresses become links wherever they
// appear, in any language and number format; and item 3/13: titles.
import { describe, expect, it } from 'vitest';
import { cleanTitle, supportTitle } from '~/.server/coach/conversations';
import { contactPointsFor, emergencyNumbers, linkContacts, linkContactsInMarkdown, telHref } from '~/lib/contact-links';
import { defaultResources, type SupportResources } from '~/lib/culture';

const resources: SupportResources = {
  ...defaultResources('US'),
  eap: { name: 'Acme EAP', phone: '1-800-555-0142', url: 'https://eap.example/help' },
  byCountry: {
    US: { emergency: '911', crisisLine: '988 Suicide & Crisis Lifeline', crisisPhone: '988', crisisUrl: 'https://988lifeline.org' },
    GB: { emergency: '999', crisisLine: 'Samaritans', crisisPhone: '116 123' },
  },
};

describe('contact links', () => {
  it('turns dialable values into tel: links and leaves words alone', () => {
    expect(telHref('1-800-555-0142')).toBe('tel:18005550142');
    expect(telHref('+44 20 7946 0000')).toBe('tel:+442079460000');
    expect(telHref('116 123')).toBe('tel:116123');
    expect(telHref('your local emergency number')).toBeNull();
  });

  it('reads an emergency field that lists two numbers as two numbers, each one tap away (ADR 083)', () => {
    expect(emergencyNumbers('112 or 999')).toEqual(['112', '999']);
    expect(emergencyNumbers('112, 999')).toEqual(['112', '999']);
    // one number with a slash or a dash in it stays one
    expect(emergencyNumbers('030/123456')).toEqual(['030/123456']);
    expect(emergencyNumbers('your local emergency number')).toEqual(['your local emergency number']);
    const ireland: SupportResources = { ...resources, byCountry: { IE: { emergency: '112 or 999', crisisLine: 'Samaritans', crisisPhone: '116 123' } } };
    const points = contactPointsFor(ireland, 'IE');
    expect(points.slice(0, 2)).toMatchObject([{ text: '112', href: 'tel:112' }, { text: '999', href: 'tel:999' }]);
    expect(linkContacts('Llama al 112 o 999', points).filter((s) => s.point).map((s) => s.point!.href)).toEqual(['tel:112', 'tel:999']);
  });

  it('lists the emergency number first, the crisis line with an sms: link', () => {
    const points = contactPointsFor(resources, 'US');
    expect(points[0]).toMatchObject({ text: '911', href: 'tel:911' });
    expect(points[1]).toMatchObject({ text: '988', href: 'tel:988', sms: 'sms:988' });
    expect(points.map((p) => p.href)).toEqual(expect.arrayContaining(['https://988lifeline.org', 'tel:18005550142', 'https://eap.example/help']));
    expect(contactPointsFor(resources, 'GB')[1]).toMatchObject({ text: '116 123', sms: 'sms:116123' });
  });

  it('links whole numbers only, in any language', () => {
    const points = contactPointsFor(resources, 'GB');
    const segments = linkContacts('Llame al 999 o escriba al 116 123 (no 9990)', points);
    expect(segments.filter((s) => s.point).map((s) => s.text)).toEqual(['999', '116 123']);
  });

  it('links the escalation reply markdown, but not a number that is part of a name', () => {
    const points = contactPointsFor(resources, 'US');
    const md = linkContactsInMarkdown('- In an emergency: call 911\n- 988 Suicide & Crisis Lifeline: call or text 988 · https://988lifeline.org', points);
    expect(md).toContain('[911](tel:911)');
    expect(md).toContain('- 988 Suicide & Crisis Lifeline: call or text [988](tel:988) · [SMS 988](sms:988) · <https://988lifeline.org>');
  });
});

describe('titles', () => {
  it('cuts long titles at a word', () => {
    const title = cleanTitle('Two of my associates keep swapping shifts without telling me and I need to understand what our policy says about it')!;
    expect(title.length).toBeLessThanOrEqual(80);
    expect(title).toMatch(/ [a-z]+…$/);
    expect('Two of my associates keep swapping shifts without telling me and I need to understand what').toContain(title.slice(0, -1));
  });

  it('gives support conversations a neutral, dated title', () => {
    expect(supportTitle(new Date('2026-12-01T10:00:00Z'))).toBe('Support conversation · 1 Dec');
  });
});
