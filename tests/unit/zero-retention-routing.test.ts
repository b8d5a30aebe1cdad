// Zero-retention routing: catalogue retention flags, operator attestation, and the tenant policy
// removing every other model from chat, sensitive, judge and embedding chains (fallbacks included).
import { describe, expect, it } from 'vitest';
import { isLocalModel, isZeroRetentionModel, resolveCatalogueModel, type ModelEnv } from '~/.server/models/providers';
import { modelsAllowed, policyAllows, routeModel } from '~/.server/models/router';

const cloud: ModelEnv = { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test' };
const cloudAndLocal: ModelEnv = {
  ...cloud,
  OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:11434/v1',
  OPENAI_COMPATIBLE_CHAT_MODEL: 'llama3.1:8b',
  OPENAI_COMPATIBLE_JUDGE_MODEL: 'qwen2.5:14b',
};
const ZDR = { zeroRetentionOnly: true };

describe('catalogue retention flags', () => {
  it('marks the offline models and local servers local and zero-retention, cloud providers neither', () => {
    expect(isLocalModel('offline-coach', {})).toBe(true);
    expect(isZeroRetentionModel('offline-embedder', {})).toBe(true);
    expect(isLocalModel('compat:chat', cloudAndLocal)).toBe(true);
    expect(isZeroRetentionModel('compat:chat', cloudAndLocal)).toBe(true);
    expect(isZeroRetentionModel('openai:gpt-4o', cloud)).toBe(false);
    expect(isLocalModel('anthropic:claude-sonnet-4', cloud)).toBe(false);
    expect(isZeroRetentionModel('no-such-model', cloud)).toBe(false);
  });

  it('lets the operator attest zero retention for named models, never making them local', () => {
    const env = { ...cloud, RAPPORT_ZERO_RETENTION_MODELS: 'openai:gpt-4o, anthropic:claude-haiku-4-5' };
    expect(isZeroRetentionModel('openai:gpt-4o', env)).toBe(true);
    expect(isZeroRetentionModel('anthropic:claude-haiku-4-5', env)).toBe(true);
    expect(isZeroRetentionModel('openai:gpt-4o-mini', env)).toBe(false);
    expect(isLocalModel('openai:gpt-4o', env)).toBe(false);
  });

  it('treats an OpenAI-compatible server as a remote gateway when OPENAI_COMPATIBLE_LOCAL=false', () => {
    const env = { ...cloudAndLocal, OPENAI_COMPATIBLE_LOCAL: 'false' };
    expect(resolveCatalogueModel('compat:chat', env)).toMatchObject({ local: false, zeroRetention: false });
    expect(isZeroRetentionModel('compat:chat', { ...env, RAPPORT_ZERO_RETENTION_MODELS: 'compat:chat' })).toBe(true);
  });
});

describe('a tenant that allows only zero-retention providers', () => {
  it('never gets a cloud model in a chat chain, even when the tenant or the operator chose one', () => {
    const route = routeModel({ purpose: 'chat', text: 'How do I plan the rota?', tenantAllowed: { chat: 'openai:gpt-4o' }, policy: ZDR, env: { ...cloudAndLocal, RAPPORT_CHAT_MODEL: 'anthropic:claude-sonnet-4' } });
    expect(route.chain).toEqual(['compat:chat', 'offline-coach']);
    expect(route.reason).toContain('"openai:gpt-4o" is not zero-retention');
    expect(route.noZeroRetentionModel).toBeUndefined();
    // Without the policy the same inputs route to the tenant's cloud choice.
    expect(routeModel({ purpose: 'chat', text: 'x', tenantAllowed: { chat: 'openai:gpt-4o' }, env: cloudAndLocal }).chain[0]).toBe('openai:gpt-4o');
  });

  it('skips non-zero-retention models in the fallback chain but keeps attested ones', () => {
    const env = { ...cloud, RAPPORT_ZERO_RETENTION_MODELS: 'openai:gpt-4o' };
    // gpt-4o falls back to gpt-4o-mini (not attested) and then the offline coach.
    expect(routeModel({ purpose: 'chat', text: 'x', tenantAllowed: { chat: 'openai:gpt-4o' }, env }).chain).toEqual(['openai:gpt-4o', 'openai:gpt-4o-mini', 'offline-coach']);
    expect(routeModel({ purpose: 'chat', text: 'x', tenantAllowed: { chat: 'openai:gpt-4o' }, policy: ZDR, env }).chain).toEqual(['openai:gpt-4o', 'offline-coach']);
  });

  it('routes sensitive topics only to zero-retention models', () => {
    const route = routeModel({ purpose: 'chat', text: 'I have to give a final written warning', policy: ZDR, env: { ...cloudAndLocal, RAPPORT_SENSITIVE_MODEL: 'openai:gpt-4o' } });
    expect(route.sensitive).toBe(true);
    expect(route.chain.every((id) => policyAllows(id, cloudAndLocal, ZDR))).toBe(true);
    expect(route.chain).not.toContain('openai:gpt-4o');
  });

  it('falls to the offline coach and says so when no zero-retention chat model is configured', () => {
    const route = routeModel({ purpose: 'chat', text: 'x', policy: ZDR, env: cloud });
    expect(route.chain).toEqual(['offline-coach']);
    expect(route.noZeroRetentionModel).toBe(true);
    // Nothing configured at all is the ordinary offline default, not a policy outcome.
    expect(routeModel({ purpose: 'chat', text: 'x', policy: ZDR, env: {} }).noZeroRetentionModel).toBeUndefined();
  });

  it('removes cloud judges (judging is skipped) and keeps a local one', () => {
    expect(routeModel({ purpose: 'judge', policy: ZDR, env: cloud }).chain).toEqual([]);
    expect(routeModel({ purpose: 'judge', policy: ZDR, env: cloud }).reason).toContain('no zero-retention judge');
    expect(routeModel({ purpose: 'judge', policy: ZDR, env: { ...cloudAndLocal, RAPPORT_JUDGE_MODEL: 'openai:gpt-4o' } }).chain).toEqual(['compat:judge']);
    expect(routeModel({ purpose: 'judge', env: cloud }).chain[0]).toBe('openai:gpt-4o');
  });

  it('embeds with the offline embedder when the configured embedding model keeps data', () => {
    const env = { ...cloud, RAPPORT_EMBEDDING_MODEL: 'openai:text-embedding-3-small' };
    expect(routeModel({ purpose: 'embedding', env }).chain).toEqual(['openai:text-embedding-3-small']);
    expect(routeModel({ purpose: 'embedding', policy: ZDR, env }).chain).toEqual(['offline-embedder']);
  });

  it('lists the models that remain per purpose', () => {
    expect(modelsAllowed(cloudAndLocal, 'chat', ZDR).map((m) => m.id)).toEqual(['compat:chat', 'offline-coach']);
    expect(modelsAllowed(cloudAndLocal, 'judge', ZDR).map((m) => m.id)).toEqual(['compat:judge']);
    expect(modelsAllowed(cloudAndLocal, 'chat', undefined).length).toBeGreaterThan(3);
  });
});
