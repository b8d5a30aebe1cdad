import { describe, expect, it } from 'vitest';
import { routeModel } from '~/.server/models/router';
import { parseModerationResponse, moderationScores } from '~/.server/safety/moderation';
import { configuredSafetyModel, LLAMA_GUARD_HAZARDS, mapLlamaGuard, parseLlamaGuardOutput, raiseVerdict, safetyModelTimeoutMs, type SafetyModelOpinion } from '~/.server/safety/safety-model';
import type { SafetyVerdict } from '~/lib/safety';

describe('Llama Guard 3 output', () => {
  it.each([
    ['safe', { safe: true, hazards: [] }],
    ['  safe\n', { safe: true, hazards: [] }],
    ['Safe', { safe: true, hazards: [] }],
    ['unsafe\nS11', { safe: false, hazards: ['S11'] }],
    ['unsafe\nS1,S10', { safe: false, hazards: ['S1', 'S10'] }],
    ['unsafe\nS1, S10, S1', { safe: false, hazards: ['S1', 'S10'] }],
    ['UNSAFE S9', { safe: false, hazards: ['S9'] }],
    ['unsafe\ns11', { safe: false, hazards: ['S11'] }],
    ['unsafe\nS01', { safe: false, hazards: ['S1'] }],
    ['unsafe', { safe: false, hazards: [] }],
    ['unsafe\nS15,S99', { safe: false, hazards: [] }],
  ])('reads %j', (output, expected) => {
    expect(parseLlamaGuardOutput(output)).toEqual(expected);
  });

  it.each([[''], ['I cannot help with that.'], ['unsafety'], ['safely'], ['{"safe": true}']])('rejects %j', (output) => {
    expect(parseLlamaGuardOutput(output)).toBeNull();
  });

  it('knows all fourteen hazard codes', () => {
    expect(Object.keys(LLAMA_GUARD_HAZARDS)).toEqual(Array.from({ length: 14 }, (_, i) => `S${i + 1}`));
    expect(LLAMA_GUARD_HAZARDS.S11.name).toBe('Suicide & Self-Harm');
  });

  it('maps self-harm to crisis, violence and abuse to concern, the rest to no level', () => {
    expect(mapLlamaGuard({ safe: false, hazards: ['S11'] })).toEqual({ level: 'crisis', categories: ['self_harm'] });
    expect(mapLlamaGuard({ safe: false, hazards: ['S1', 'S11'] })).toEqual({ level: 'crisis', categories: ['self_harm', 'harm_to_others'] });
    expect(mapLlamaGuard({ safe: false, hazards: ['S1'] })).toEqual({ level: 'concern', categories: ['harm_to_others'] });
    expect(mapLlamaGuard({ safe: false, hazards: ['S9'] })).toEqual({ level: 'concern', categories: ['harm_to_others'] });
    expect(mapLlamaGuard({ safe: false, hazards: ['S4'] })).toEqual({ level: 'concern', categories: ['abuse_or_harassment'] });
    expect(mapLlamaGuard({ safe: false, hazards: ['S10'] })).toEqual({ level: 'none', categories: ['toxicity'] });
    expect(mapLlamaGuard({ safe: false, hazards: ['S2', 'S7', 'S8'] })).toEqual({ level: 'none', categories: [] });
    // "unsafe" with no code we know: when unsure, check in.
    expect(mapLlamaGuard({ safe: false, hazards: [] })).toEqual({ level: 'concern', categories: [] });
    expect(mapLlamaGuard({ safe: true, hazards: [] })).toEqual({ level: 'none', categories: [] });
  });
});

function moderation(scores: Record<string, number>, flags: string[] = Object.keys(scores).filter((k) => scores[k] >= 0.5)) {
  const names = ['harassment', 'harassment/threatening', 'hate', 'hate/threatening', 'illicit', 'illicit/violent', 'self-harm', 'self-harm/intent', 'self-harm/instructions', 'sexual', 'sexual/minors', 'violence', 'violence/graphic'];
  return {
    id: 'modr-1',
    model: 'omni-moderation-2024-09-26',
    results: [
      {
        flagged: flags.length > 0,
        categories: Object.fromEntries(names.map((n) => [n, flags.includes(n)])),
        category_scores: Object.fromEntries(names.map((n) => [n, scores[n] ?? 0.0001])),
        category_applied_input_types: Object.fromEntries(names.map((n) => [n, ['text']])),
      },
    ],
  };
}

describe('OpenAI moderation mapping', () => {
  it('maps self-harm intent and instructions to crisis, self-harm to concern', () => {
    expect(parseModerationResponse(moderation({ 'self-harm': 0.8, 'self-harm/intent': 0.9 }))).toMatchObject({ level: 'crisis', categories: ['self_harm'] });
    expect(parseModerationResponse(moderation({ 'self-harm/instructions': 0.7 }))).toMatchObject({ level: 'crisis' });
    expect(parseModerationResponse(moderation({ 'self-harm': 0.6 }))).toMatchObject({ level: 'concern', categories: ['self_harm'] });
  });
  it('maps violence, threats and violent wrongdoing to a concern about others', () => {
    for (const name of ['violence', 'harassment/threatening', 'illicit/violent']) {
      expect(parseModerationResponse(moderation({ [name]: 0.9 }))).toMatchObject({ level: 'concern', categories: ['harm_to_others'], ruleIds: [`moderation:${name}`] });
    }
  });
  it('counts a mapped category whose score reaches 0.5 even when the provider did not flag it', () => {
    const body = moderation({ 'self-harm/intent': 0.62 }, []);
    expect(body.results[0].flagged).toBe(false);
    expect(parseModerationResponse(body)).toMatchObject({ level: 'crisis', ruleIds: ['moderation:self-harm/intent'] });
    expect(parseModerationResponse(moderation({ 'self-harm/intent': 0.2 }, []))).toMatchObject({ level: 'none', categories: [] });
  });
  it('reports the scores it maps, rounded, and nothing else', () => {
    const scores = moderationScores(moderation({ 'self-harm/intent': 0.912345, sexual: 0.7 }));
    expect(scores['self-harm/intent']).toBe(0.912);
    expect(scores).not.toHaveProperty('sexual');
    expect(moderationScores(null)).toEqual({});
  });
});

describe('which safety model runs', () => {
  it('none unless configured; Llama Guard once its model is named; moderation only when chosen', () => {
    expect(configuredSafetyModel({})).toBeNull();
    expect(configuredSafetyModel({ OPENAI_API_KEY: 'sk' })).toBeNull();
    expect(configuredSafetyModel({ OPENAI_COMPATIBLE_BASE_URL: 'http://x/v1', OPENAI_COMPATIBLE_SAFETY_MODEL: 'llama-guard3:1b' })).toBe('compat:safety');
    expect(configuredSafetyModel({ OPENAI_COMPATIBLE_SAFETY_BASE_URL: 'http://guard/v1', OPENAI_COMPATIBLE_SAFETY_MODEL: 'llama-guard3' })).toBe('compat:safety');
    expect(configuredSafetyModel({ OPENAI_COMPATIBLE_SAFETY_MODEL: 'llama-guard3' })).toBeNull();
    expect(configuredSafetyModel({ OPENAI_API_KEY: 'sk', RAPPORT_SAFETY_MODEL: 'openai:omni-moderation-latest' })).toBe('openai:omni-moderation-latest');
    expect(configuredSafetyModel({ RAPPORT_SAFETY_MODEL: 'openai:omni-moderation-latest' })).toBeNull();
    expect(configuredSafetyModel({ OPENAI_COMPATIBLE_BASE_URL: 'http://x/v1', OPENAI_COMPATIBLE_SAFETY_MODEL: 'lg', RAPPORT_SAFETY_MODEL: 'none' })).toBeNull();
    expect(routeModel({ purpose: 'safety', env: { RAPPORT_SAFETY_MODEL: 'openai:gpt-4o-mini', OPENAI_API_KEY: 'sk' } })).toMatchObject({ chain: [], reason: expect.stringMatching(/not a safety model/) });
  });
  it('waits 1.5 s by default, or as configured', () => {
    expect(safetyModelTimeoutMs({})).toBe(1500);
    expect(safetyModelTimeoutMs({ RAPPORT_SAFETY_MODEL_TIMEOUT_MS: '800' })).toBe(800);
    expect(safetyModelTimeoutMs({ RAPPORT_SAFETY_MODEL_TIMEOUT_MS: 800 }, 200)).toBe(200);
  });
});

describe('raiseVerdict', () => {
  const local: SafetyVerdict = { level: 'concern', categories: ['abuse_or_harassment'], ruleIds: ['distress.x'], thirdParty: false, manyShot: false };
  const opinion = (o: Partial<SafetyModelOpinion>): SafetyModelOpinion => ({
    modelId: 'compat:safety', provider: 'openai-compatible', providerModelId: 'lg', status: 'unsafe', level: 'none', categories: [], hazards: [], ruleIds: [], latencyMs: 10, timedOut: false, usage: { inputTokens: 0, outputTokens: 0 }, ...o,
  });
  it('raises the level and merges categories and rule ids', () => {
    expect(raiseVerdict(local, opinion({ level: 'crisis', categories: ['self_harm'], ruleIds: ['llama-guard:S11'] }))).toEqual({
      ...local,
      level: 'crisis',
      categories: ['self_harm', 'abuse_or_harassment'],
      ruleIds: ['distress.x', 'llama-guard:S11'],
    });
  });
  it('never lowers: a safe, timed-out or failed opinion leaves the verdict as it was', () => {
    expect(raiseVerdict(local, opinion({ status: 'safe' }))).toBe(local);
    expect(raiseVerdict(local, opinion({ status: 'timeout', timedOut: true }))).toBe(local);
    expect(raiseVerdict(local, opinion({ status: 'error' }))).toBe(local);
    expect(raiseVerdict({ ...local, level: 'crisis' }, opinion({ level: 'none', categories: ['toxicity'] })).level).toBe('crisis');
    expect(raiseVerdict(local, null)).toBe(local);
  });
});
