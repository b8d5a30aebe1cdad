// The hand-off consent form: the person chooses how to be reached, and the server accepts,
// validates and stores that choice on the case (issue 13, item 4).
import { describe, expect, it } from 'vitest';
import { runTurn } from '~/.server/coach/run-turn';
import { listHandoffCases } from '~/.server/safety/events';
import { SUPPORTED_LANGUAGES, SUPPORT_TEXT } from '~/lib/i18n';
import { action } from '~/routes/chat.$id';
import { useTestDatabase } from '../helpers/db';
import { contextFor, makeMember, makeTenant } from '../helpers/factories';

useTestDatabase();

type Result = { data?: { ok: boolean; fieldErrors?: Record<string, string> }; init?: { status?: number }; ok?: boolean; handoff?: boolean };

async function setup() {
  const tenant = await makeTenant();
  const user = await makeMember(tenant.id);
  const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text: 'How do I plan the holiday rota fairly?' }, { env: {} });
  const reader = handle.stream.getReader();
  while (!(await reader.read()).done);
  const { conversationId } = await handle.result;
  const ctx = (await contextFor(user)) as never;
  const send = async (fields: Record<string, string>) =>
    (await action({
      request: new Request(`http://x/chat/${conversationId}`, {
        method: 'POST',
        body: new URLSearchParams({ intent: 'handoff', sharedText: 'I am struggling this week.', ...fields }),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      context: ctx,
      params: { id: conversationId },
    })) as Result;
  return { tenant, user, send };
}

describe('hand-off contact method', () => {
  it('stores the chosen method and value on the case, and HR sees them', async () => {
    const { tenant, user, send } = await setup();
    expect(await send({ contactMethod: 'phone', contactValue: ' +1 (555) 010-0100 ', contactPreference: 'after 5pm' })).toMatchObject({ ok: true, handoff: true });
    expect(await send({ contactMethod: 'other_email', contactValue: 'Me@Home.Example' })).toMatchObject({ ok: true });
    expect(await send({ contactMethod: 'via_manager_hr', contactValue: 'ignored' })).toMatchObject({ ok: true });
    expect(await send({})).toMatchObject({ ok: true }); // no choice: the work email
    const cases = await listHandoffCases({ tenantId: tenant.id });
    const byMethod = Object.fromEntries(cases.map((c) => [c.contactMethod, c]));
    expect(byMethod.phone).toMatchObject({ contactValue: '+1 (555) 010-0100', contactPreference: 'after 5pm', email: user.email });
    expect(byMethod.other_email.contactValue).toBe('me@home.example');
    expect(byMethod.via_manager_hr.contactValue).toBe('');
    expect(byMethod.work_email.contactValue).toBe('');
  });

  it('refuses an invalid phone, email or method with a field error code, storing nothing', async () => {
    const { tenant, send } = await setup();
    for (const [fields, field, code] of [
      [{ contactMethod: 'phone', contactValue: 'call me maybe' }, 'contactValue', 'errPhone'],
      [{ contactMethod: 'phone', contactValue: '12' }, 'contactValue', 'errPhone'],
      [{ contactMethod: 'other_email', contactValue: 'not-an-email' }, 'contactValue', 'errEmail'],
      [{ contactMethod: 'carrier_pigeon' }, 'contactMethod', 'method'],
    ] as const) {
      const r = await send(fields);
      expect(r.init?.status).toBe(400);
      expect(r.data?.fieldErrors?.[field]).toBe(code);
    }
    expect(await listHandoffCases({ tenantId: tenant.id })).toHaveLength(0);
  });

  it('the form says what is shared, and offers every method, in all supported languages', () => {
    for (const language of SUPPORTED_LANGUAGES) {
      const t = SUPPORT_TEXT[language];
      expect(t.shareHint, language).toContain('{contact}');
      for (const key of ['methodWorkEmail', 'methodPhone', 'methodOtherEmail', 'methodViaManager', 'phoneLabel', 'otherEmailLabel', 'errPhone', 'errEmail'] as const) {
        expect(t[key].length, `${language}.${key}`).toBeGreaterThan(2);
        if (language !== 'en') expect(t[key], `${language}.${key} is translated`).not.toBe(SUPPORT_TEXT.en[key]);
      }
    }
    expect(SUPPORT_TEXT.en.shareHint).toMatch(/name and work email.*what you write/);
  });
});
