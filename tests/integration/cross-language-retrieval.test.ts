// Cross-language retrieval through a whole turn (ADR 049): a manager writes in their own language to
// a pack written in English. Retrieval reads an English gloss of the message (lineage records its
// language and word counts, never its text), the offline coach cites the passage that answers, and a
// question the pack does not cover is still answered honestly, citing nothing.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runTurn } from '~/.server/coach/run-turn';
import { ingestFilesNow } from '~/.server/culture/ingest';
import { publishDraft } from '~/.server/culture/versions';
import { withTenant } from '~/.server/db/tenant';
import { OFFLINE_COACH_TEXT } from '~/.server/models/offline-coach-text';
import { makeMember, makeTenant } from '../helpers/factories';
import { useTestDatabase } from '../helpers/db';

useTestDatabase();

const SLOW = { timeout: 180_000 };

async function tenantWithPack() {
  const tenant = await makeTenant();
  const files = ['shift-swaps.md', 'leave-and-time-off.md', 'code-of-conduct.md', 'attendance-and-lateness.md'].map((name) => {
    const bytes = new Uint8Array(fs.readFileSync(`tenants/brightmart/pack/${name}`));
    return { fileName: name, bytes, sizeBytes: bytes.length };
  });
  await ingestFilesNow({ tenantId: tenant.id, userId: null, files });
  await publishDraft({ tenantId: tenant.id, actor: { userId: null, label: 'test' } });
  return tenant;
}

async function ask(tenantId: string, userId: string, text: string) {
  const handle = await runTurn({ tenantId, userId, text }, { env: {} });
  const reader = handle.stream.getReader();
  while (!(await reader.read()).done);
  const result = await handle.result;
  const [lineage] = await withTenant(tenantId, (tx) => tx<Record<string, any>[]>`select * from message_lineage where message_id = ${result.assistantMessageId}`);
  return { result, lineage };
}

describe('a question in another language than the pack’s', () => {
  it('is searched through its gloss: the offline coach cites the passage that answers it', SLOW, async () => {
    const tenant = await tenantWithPack();
    const manager = await makeMember(tenant.id, 'manager');
    const text = 'A mi cajera se le murió la abuela anoche y el funeral es el viernes. ¿Cuántos días de permiso le corresponden?';
    const { result, lineage } = await ask(tenant.id, manager.id, text);
    expect(result.modelId).toBe('offline-coach');
    expect(result.covered).toBe(true);
    expect(result.citations.length).toBeGreaterThan(0);
    expect(result.citations.every((c) => c.document === 'Leave and Time Off')).toBe(true);
    expect(result.citations.some((c) => /bereavement/i.test(`${c.heading} ${c.text}`))).toBe(true);
    // The offline coach answers in Spanish and quotes the pack's sentence that answers, as written.
    const es = OFFLINE_COACH_TEXT.es!;
    expect(result.reply).toContain(es.guidanceSays.split('{tenant}')[0]);
    expect(result.reply).toMatch(/- Leave and Time Off \(Bereavement leave\): "[^"]*grandparent[^"]*" \[P\d\]/);
    expect(result.reply).toContain(`**${es.questionLabel}**`);
    expect(result.reply).not.toMatch(/A question to consider|Here is what/);
    expect(lineage.params.retrievalGloss).toMatchObject({ language: 'es', packLanguage: 'en' });
    expect(lineage.params.retrievalGloss.glossed).toBeGreaterThan(3);
    // Lineage records that a gloss was read, never the gloss itself.
    expect(lineage.params.retrievalGloss.text).toBeUndefined();
    expect(JSON.stringify(lineage.params)).not.toMatch(/grandmother|death/);
  });

  it('that the pack does not cover: says so, cites nothing (German, Chinese)', SLOW, async () => {
    const tenant = await tenantWithPack();
    const manager = await makeMember(tenant.id, 'manager');
    for (const text of ['Zahlt die Firma meinen Mitarbeitern einen Zuschuss zum Fitnessstudio?', '公司会给员工报销健身房会员费吗?']) {
      const { result, lineage } = await ask(tenant.id, manager.id, text);
      expect(result.covered, text).toBe(false);
      expect(result.citations, text).toEqual([]);
      // Said plainly, in the person's language, with no passage quoted.
      const local = OFFLINE_COACH_TEXT[text.startsWith('Zahlt') ? 'de' : 'zh']!;
      expect(result.reply, text).toContain(local.notCovered.split('{who}')[1].trim());
      expect(result.reply, text).not.toMatch(/\[P\d\]/);
      expect(lineage.params.retrievalGloss?.packLanguage, text).toBe('en');
    }
  });

  it('a question in the pack’s language is searched as written', SLOW, async () => {
    const tenant = await tenantWithPack();
    const manager = await makeMember(tenant.id, 'manager');
    const { result, lineage } = await ask(tenant.id, manager.id, 'How many days of bereavement leave does an associate get for a grandparent?');
    expect(result.citations.some((c) => c.document === 'Leave and Time Off')).toBe(true);
    expect(lineage.params.retrievalGloss).toBeUndefined();
  });
});
