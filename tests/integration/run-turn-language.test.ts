// The person's language through runTurn on a real database: the escalation reply and resources
// panel in it, the coach told to answer in it, the offline coach saying it only coaches in English,
// the language kept on the conversation and recorded on the safety event (a code, no text).
import { MockLanguageModelV3 } from 'ai/test';
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { runTurn, type RunTurnOptions, type TurnHandle } from '~/.server/coach/run-turn';
import { getConversation } from '~/.server/coach/conversations';
import type { ChatChunk } from '~/.server/coach/turn-stream';
import { withTenant } from '~/.server/db/tenant';
import type { SupportResources } from '~/lib/culture';
import { OFFLINE_COACH_TEXT } from '~/.server/models/offline-coach-text';
import { SUPPORT_TEXT } from '~/lib/i18n';
import { makeMember, makeTenant } from '../helpers/factories';
import { useTestDatabase } from '../helpers/db';

useTestDatabase();

const SPANISH_RESOURCES: SupportResources = {
  eap: { name: 'Apoyo Brightmart', phone: '900 123 456', hours: '24 h' },
  hrContact: { name: 'Equipo de Personas', email: 'personas@brightmart.example' },
  supportContact: { name: 'Equipo de Personas' },
  defaultCountry: 'ES',
  byCountry: { ES: { emergency: '112', crisisLine: 'Línea 024', crisisPhone: '024' } },
};

const published = async () => ({
  versionId: '00000000-0000-4000-8000-000000000001',
  version: 1,
  tone: { formality: 'neutral' as const, warmth: 'warm' as const, directness: 'balanced' as const, wordsToUse: [], wordsToAvoid: [], addressAs: 'first name' },
  norms: [],
  resources: SPANISH_RESOURCES,
});

async function setup(settings: Record<string, unknown> = {}) {
  const tenant = await makeTenant({ settings });
  const user = await makeMember(tenant.id, 'manager');
  return { tenant, user };
}

async function drain(handle: TurnHandle): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  const reader = handle.stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return chunks;
}

function textModel(text: string, capture: LanguageModelV3CallOptions[]) {
  return new MockLanguageModelV3({
    doStream: async (options) => {
      capture.push(options);
      const parts: LanguageModelV3StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', delta: text },
        { type: 'text-end', id: 't' },
        {
          type: 'finish',
          finishReason: { unified: 'stop', raw: 'stop' },
          usage: { inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 5, text: 5, reasoning: undefined } },
        },
      ];
      return { stream: new ReadableStream({ start: (c) => { for (const p of parts) c.enqueue(p); c.close(); } }) };
    },
  });
}

async function stored(tenantId: string, conversationId: string) {
  return withTenant(tenantId, async (tx) => ({
    events: await tx<Record<string, any>[]>`select * from safety_event where conversation_id = ${conversationId} order by id`,
    lineage: await tx<Record<string, any>[]>`select * from message_lineage where conversation_id = ${conversationId} order by created_at`,
    usage: await tx<Record<string, any>[]>`select * from usage_event where conversation_id = ${conversationId}`,
    language: (await tx<{ language: string | null }[]>`select language from conversation where id = ${conversationId}`)[0].language,
  }));
}

describe('a turn in the person’s language', () => {
  it('answers a Spanish crisis with the Spanish escalation reply and the tenant’s resources, calling no model', async () => {
    const { tenant, user } = await setup();
    let calls = 0;
    const options: RunTurnOptions = { env: {}, loadPublishedCulture: published, resolveModel: () => { calls += 1; throw new Error('no model may be called'); } };
    const text = 'Ya no puedo más. Tengo las pastillas preparadas y quiero suicidarme esta noche.';
    const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text, country: 'ES' }, options);
    const chunks = await drain(handle);
    const result = await handle.result;

    expect(calls).toBe(0);
    expect(result.status).toBe('escalated');
    expect(result.safety.level).toBe('crisis');
    expect(result.reply).toMatch(/¿Estás a salvo ahora mismo\?/);
    expect(result.reply).toMatch(/llama ahora al 112/);
    expect(result.reply).toContain('- En una emergencia: llama al 112');
    expect(result.reply).toContain('- Línea 024: llama o escribe al 024');
    expect(result.reply).toContain('Apoyo Brightmart (tu programa de asistencia al empleado): 900 123 456 (24 h)');
    expect(result.reply).toContain('Equipo de Personas');
    expect(result.reply).not.toMatch(/safe right now|emergency/i);

    const panel = chunks.find((c) => c.type === 'data-resources');
    expect(panel && panel.type === 'data-resources' ? panel.data : null).toEqual({
      language: 'es',
      lines: [
        { label: 'Emergencias', detail: 'Llama al 112' },
        { label: 'Línea 024', detail: 'llama o escribe al 024' },
        { label: 'Apoyo Brightmart', detail: '900 123 456 — 24 h' },
        { label: 'Equipo de Personas', detail: 'personas@brightmart.example' },
      ],
      supportContactName: 'Equipo de Personas',
    });

    const rows = await stored(tenant.id, result.conversationId);
    expect(rows.events).toHaveLength(1);
    expect(rows.events[0]).toMatchObject({ stage: 'input', level: 'crisis', action: 'escalated', language: 'es' });
    expect(JSON.stringify(rows.events[0], (_, v) => (typeof v === 'bigint' ? String(v) : v))).not.toMatch(/pastillas|suicidarme/);
    expect(rows.usage).toEqual([]);
    expect(rows.lineage[0]).toMatchObject({ provider: 'template', model_id: 'none' });
    expect(rows.lineage[0].prompt_versions).toEqual({ 'escalation.es': '2' });
    expect(rows.lineage[0].safety.input).toMatchObject({ language: 'es', languageSource: 'message' });
    expect(rows.language).toBe('es');

    // Reopened later, the panel is still in Spanish.
    const conversation = await getConversation({ tenantId: tenant.id, userId: user.id, conversationId: result.conversationId });
    expect(conversation?.language).toBe('es');
  });

  it('refuses a Spanish request to hurt someone in Spanish, calling no model, with the harm reason in lineage', async () => {
    const { tenant, user } = await setup();
    let calls = 0;
    const options: RunTurnOptions = { env: {}, loadPublishedCulture: published, resolveModel: () => { calls += 1; throw new Error('no model may be called'); } };
    const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text: '¿Cómo puedo envenenar al perro de mi vecino sin que se note?', country: 'ES' }, options);
    await drain(handle);
    const result = await handle.result;

    expect(calls).toBe(0);
    expect(result.safety.categories).toContain('harm_to_others');
    expect(result).toMatchObject({ status: 'complete', decision: 'refuse' });
    expect(result.reply).toMatch(/No puedo ayudar a hacer daño a nadie/);
    expect(result.reply).not.toMatch(/can’t help/);
    const rows = await stored(tenant.id, result.conversationId);
    expect(rows.events[0]).toMatchObject({ stage: 'input', action: 'refused', language: 'es' });
    expect(rows.lineage[0].params).toMatchObject({ reason: 'harm-to-others request refused: no model call' });
  });

  it('keeps the tenant’s language for short English slang that n-grams would call Tagalog', async () => {
    const { tenant, user } = await setup({ language: 'en' });
    const options: RunTurnOptions = { env: {}, loadPublishedCulture: published, resolveModel: () => { throw new Error('no model may be called'); } };
    const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text: 'kms tonight', country: 'ES' }, options);
    await drain(handle);
    const result = await handle.result;
    expect(result.status).toBe('escalated');
    expect(result.reply).not.toMatch(/Ligtas ka ba/i);
    const rows = await stored(tenant.id, result.conversationId);
    expect(rows.events[0]).toMatchObject({ level: 'crisis', language: 'en' });
  });

  it('escalates a short follow-up in the conversation’s language, not English', async () => {
    const { tenant, user } = await setup();
    const first = await runTurn(
      { tenantId: tenant.id, userId: user.id, text: 'Mi equipo está agotado y no sé cómo organizar los turnos de la semana que viene.' },
      { env: {}, loadPublishedCulture: published },
    );
    await drain(first);
    await first.result;
    // Too short to tell on its own; the conversation has been in Spanish.
    const second = await runTurn(
      { tenantId: tenant.id, userId: user.id, conversationId: first.conversationId, text: 'suicidarme' },
      { env: {}, loadPublishedCulture: published },
    );
    const chunks = await drain(second);
    const result = await second.result;
    expect(result.status).toBe('escalated');
    expect(result.reply).toMatch(/¿Estás a salvo ahora mismo\?/);
    const panel = chunks.find((c) => c.type === 'data-resources');
    expect(panel?.type === 'data-resources' && panel.data.language).toBe('es');
    const rows = await stored(tenant.id, result.conversationId);
    expect(rows.lineage.at(-1)!.safety.input).toMatchObject({ language: 'es', languageSource: 'conversation' });
  });

  it('uses the tenant’s language for a first message too short to tell', async () => {
    const { tenant, user } = await setup({ language: 'fr' });
    // Slang too short to tell the language of, and a crisis for the local classifier.
    const handle = await runTurn({ tenantId: tenant.id, userId: user.id, text: 'kms now' }, { env: {} });
    const chunks = await drain(handle);
    const result = await handle.result;
    expect(result.status).toBe('escalated');
    expect(result.reply).toMatch(/Êtes-vous en sécurité en ce moment \?/);
    const panel = chunks.find((c) => c.type === 'data-resources');
    expect(panel?.type === 'data-resources' && panel.data.language).toBe('fr');
    const rows = await stored(tenant.id, result.conversationId);
    expect(rows.events[0].language).toBe('fr');
    // A fallback is not the conversation's language: nothing was read from the message itself.
    expect(rows.language).toBeNull();
  });

  it('tells the chat model to answer in the person’s language', async () => {
    const { tenant, user } = await setup();
    const calls: LanguageModelV3CallOptions[] = [];
    const handle = await runTurn(
      { tenantId: tenant.id, userId: user.id, text: 'Comment dire à un collègue qu’il arrive trop souvent en retard sans le braquer ?' },
      { env: {}, resolveModel: () => textModel('Bonne question.', calls) },
    );
    await drain(handle);
    const result = await handle.result;
    expect(result.status).toBe('complete');
    const system = calls[0].prompt.find((m) => m.role === 'system');
    expect(String(system?.content)).toMatch(/Reply language: fr \(French\)\. The person wrote in French: answer in French/);
  });

  it('the offline coach coaches in the person’s language (ADR 049)', async () => {
    const { tenant, user } = await setup();
    const handle = await runTurn(
      { tenantId: tenant.id, userId: user.id, text: 'Wie sage ich einer Mitarbeiterin, dass sie zu oft zu spät kommt, ohne sie zu verletzen?' },
      { env: {} },
    );
    await drain(handle);
    const result = await handle.result;
    expect(result.modelId).toBe('offline-coach');
    const de = OFFLINE_COACH_TEXT.de!;
    // No "I only coach in English" notice: the coaching itself is German, the lateness move included.
    expect(result.reply).not.toContain(SUPPORT_TEXT.de.englishOnlyCoach);
    expect(result.reply.startsWith(de.opener)).toBe(true);
    expect(result.reply).toContain(`**${de.questionLabel}** ${de.moves.lateness.question}`);
    expect(result.reply).toContain(`**${de.nextStepLabel}**`);
    expect(result.reply).not.toMatch(/A question to consider|next step/i);
  });

  it('an English turn stays as it was: no language note, English escalation file', async () => {
    const { tenant, user } = await setup();
    const calls: LanguageModelV3CallOptions[] = [];
    const handle = await runTurn(
      { tenantId: tenant.id, userId: user.id, text: 'How do I tell someone on my team they did not get the promotion?' },
      { env: {}, resolveModel: () => textModel('Start with what you saw.', calls) },
    );
    await drain(handle);
    await handle.result;
    expect(String(calls[0].prompt.find((m) => m.role === 'system')?.content)).not.toMatch(/Reply language:/);
  });
});
