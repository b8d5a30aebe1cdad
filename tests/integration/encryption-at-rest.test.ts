// Conversation text encrypted at rest (ADR 029), key rotation (ADR 034) and a tenant's data whole:
// export and delete with crypto-shredding (ADR 035). Runs on both database projects.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTurn, type TurnHandle } from '~/.server/coach/run-turn';
import { getConversation, listConversations, rateMessage, renameConversation } from '~/.server/coach/conversations';
import { createHandoffCase, listHandoffCases } from '~/.server/safety/events';
import { shareExchange, listOwnShares } from '~/.server/review/sharing';
import { getReviewItem, listReviewQueue, saveAnnotation, type AnnotationInput } from '~/.server/review/queue';
import { createCaseFromItem } from '~/.server/review/cases';
import { resetEnvForTests } from '~/.server/env';
import { getMasterKey, MasterKeyError, resetMasterKeyForTests } from '~/.server/privacy/master-key';
import { encryptPlaintextRows, valuesPerKeyVersion } from '~/.server/privacy/reencrypt';
import { destroyRetiredKeys, rotateTenantKey } from '~/.server/privacy/key-rotation';
import { forgetTenantKeys, tenantCipher, UNREADABLE_TEXT } from '~/.server/privacy/tenant-keys';
import { tenantTables } from '~/.server/privacy/tenant-data';
import { db, useTestDatabase } from '../helpers/db';
import { makeMember, makeTenant } from '../helpers/factories';
import { rapport } from '../helpers/cli';

const database = useTestDatabase();

const NAMES = ['Marcus Whitfield', 'Priya Raman', 'Tomasz Nowak'];
const MESSAGE = `${NAMES[0]} has been late every shift, ${NAMES[1]} told me she is pregnant, and ${NAMES[2]} wants her hours.`;

async function drain(handle: TurnHandle) {
  const reader = handle.stream.getReader();
  while (!(await reader.read()).done);
  return handle.result;
}

async function chatTurn(tenantId: string, userId: string, text = MESSAGE, conversationId?: string) {
  return drain(await runTurn({ tenantId, userId, text, conversationId }, { env: {} }));
}

/** Every text-ish value of the tenant's rows, read raw by the connecting (superuser) role. */
async function rawTextOfTenant(tenantId: string): Promise<string> {
  const parts: string[] = [];
  for (const table of await tenantTables()) {
    const rows = await db().unsafe<{ row: unknown }[]>(`select to_jsonb(t) as row from ${table} t where tenant_id = $1::uuid`, [tenantId]);
    for (const r of rows) parts.push(JSON.stringify(r.row));
  }
  return parts.join('\n');
}

/** Every row of every table in the database (not only the tenant's), read raw by the connecting (superuser) role. */
async function rawTextOfDatabase(): Promise<string> {
  const tables = await db()<{ name: string }[]>`
    select c.relname as name from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition order by 1`;
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await db().unsafe<{ row: unknown }[]>(`select to_jsonb(t) as row from "${name}" t`);
    for (const r of rows) parts.push(JSON.stringify(r.row));
  }
  return parts.join('\n');
}

describe('encryption at rest', () => {
  it('stores no plaintext conversation text: a raw SELECT as superuser sees envelopes only', async () => {
    const tenant = await makeTenant({ settings: { review: { enabled: true, judgeSamplePercent: 0 } } as never });
    const user = await makeMember(tenant.id, 'manager');
    const result = await chatTurn(tenant.id, user.id);
    await chatTurn(tenant.id, user.id, `What should I say to ${NAMES[0]} tomorrow?`, result.conversationId);
    await rateMessage({ tenantId: tenant.id, userId: user.id, messageId: result.assistantMessageId, rating: 1, comment: `Helped with ${NAMES[1]}` });
    await createHandoffCase({
      tenantId: tenant.id,
      userId: user.id,
      sharedText: `Please call me about ${NAMES[2]}`,
      contactPreference: 'after the late shift',
      contactMethod: 'phone',
      contactValue: '+44 7700 900123',
    });
    const conversation = (await getConversation({ tenantId: tenant.id, userId: user.id, conversationId: result.conversationId }))!;
    await shareExchange({ tenantId: tenant.id, userId: user.id, messageId: conversation.messages[1].id });

    const superuser = await db()<{ su: boolean }[]>`select rolsuper as su from pg_roles where rolname = current_user`;
    expect(superuser[0].su).toBe(true);
    const raw = await rawTextOfTenant(tenant.id);
    // ADR 062: and in no other table either (audit log, jobs, usage, tombstones, metadata…).
    const everything = await rawTextOfDatabase();
    expect(everything).toContain(tenant.id);
    for (const word of ['Marcus', 'Whitfield', 'Priya', 'pregnant', 'Tomasz', 'late every shift', 'Please call me', 'Helped with', '7700 900123', 'after the late shift']) {
      expect(raw, word).not.toContain(word);
      expect(everything, word).not.toContain(word);
    }
    const [message] = await db()<{ content: string }[]>`select content from message where tenant_id = ${tenant.id} and role = 'user' limit 1`;
    expect(message.content).toMatch(/^rpe1\.1\./);
    const [conv] = await db()<{ title: string }[]>`select title from conversation where tenant_id = ${tenant.id}`;
    expect(conv.title).toMatch(/^rpe1\./);

    // The person still reads everything back, and finds the conversation by a word of its title or messages.
    expect(conversation.messages[0].content).toBe(MESSAGE);
    expect(conversation.title).toContain('Marcus');
    expect(conversation.messages[1].comment).toBe(`Helped with ${NAMES[1]}`);
    expect((await listConversations({ tenantId: tenant.id, userId: user.id, search: 'marcus' })).map((c) => c.id)).toEqual([result.conversationId]);
    expect((await listConversations({ tenantId: tenant.id, userId: user.id, search: 'tomorrow' })).map((c) => c.id)).toEqual([result.conversationId]);
    expect(await listConversations({ tenantId: tenant.id, userId: user.id, search: 'zebra' })).toEqual([]);
    expect((await listHandoffCases({ tenantId: tenant.id }))[0].sharedText).toBe(`Please call me about ${NAMES[2]}`);
    expect((await listHandoffCases({ tenantId: tenant.id }))[0]).toMatchObject({ contactValue: "+44 7700 900123", contactPreference: "after the late shift" });
    expect((await listOwnShares({ tenantId: tenant.id, userId: user.id }))[0].userText).toContain('[PERSON_1]');
  });

  it('shows a damaged row as unreadable and loads the rest of the conversation', async () => {
    const tenant = await makeTenant();
    const user = await makeMember(tenant.id, 'manager');
    const first = await chatTurn(tenant.id, user.id, 'How do I plan the holiday rota fairly?');
    await chatTurn(tenant.id, user.id, 'And what about weekend shifts?', first.conversationId);
    const [victim] = await db()<{ id: string; content: string }[]>`
      select id, content from message where tenant_id = ${tenant.id} and role = 'user' order by created_at limit 1`;
    const flipped = victim.content.slice(0, -6) + (victim.content.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
    await db()`update message set content = ${flipped} where tenant_id = ${tenant.id} and id = ${victim.id}`;
    const conversation = (await getConversation({ tenantId: tenant.id, userId: user.id, conversationId: first.conversationId }))!;
    expect(conversation.messages).toHaveLength(4);
    expect(conversation.messages[0]).toMatchObject({ content: UNREADABLE_TEXT, unreadable: true });
    expect(conversation.messages[2].content).toBe('And what about weekend shifts?');
    expect(conversation.messages[1].content!.length).toBeGreaterThan(20);
    // The next turn still works; the damaged text is left out of the model's context.
    const third = await chatTurn(tenant.id, user.id, 'Thanks, one more question about breaks', first.conversationId);
    expect(third.status).toBe('complete');
  });

  it('shows a damaged shared copy as unreadable to reviewers, loads the rest of the queue, and refuses to make a case of it (ADR 062)', async () => {
    const tenant = await makeTenant({ settings: { review: { enabled: true, judgeSamplePercent: 0 } } as never });
    const user = await makeMember(tenant.id, 'manager');
    const reviewer = await makeMember(tenant.id, 'reviewer');
    const itemIds: string[] = [];
    for (const text of ['How do I plan the holiday rota fairly?', 'What do I say to someone who is always late?']) {
      const result = await chatTurn(tenant.id, user.id, text);
      itemIds.push((await shareExchange({ tenantId: tenant.id, userId: user.id, messageId: result.assistantMessageId })).itemId);
    }
    const [victim] = await db()<{ userText: string }[]>`select user_text as "userText" from review_item where tenant_id = ${tenant.id} and id = ${itemIds[0]}`;
    await db()`update review_item set user_text = ${`${victim.userText.slice(0, -6)}${victim.userText.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA'}`} where tenant_id = ${tenant.id} and id = ${itemIds[0]}`;
    const queue = await listReviewQueue({ tenantId: tenant.id, reviewerId: reviewer.id });
    expect(queue).toHaveLength(2);
    const damaged = await getReviewItem({ tenantId: tenant.id, reviewerId: reviewer.id, itemId: itemIds[0] });
    expect(damaged?.userText).toBe(UNREADABLE_TEXT);
    expect(damaged?.replyText.length).toBeGreaterThan(20);
    expect((await getReviewItem({ tenantId: tenant.id, reviewerId: reviewer.id, itemId: itemIds[1] }))?.userText).toBe('What do I say to someone who is always late?');
    const annotation: AnnotationInput = { check_in_first: 2, grounding: 2, coaching: 2, tone: 2, safety: 2, labels: [], betterReply: '', note: '', expectCheckIn: false, expectDocument: '', mustNotContain: [] };
    for (const itemId of itemIds) expect(await saveAnnotation({ tenantId: tenant.id, reviewer, itemId, input: annotation })).toBe(true);
    // A case is made of the readable item; the damaged one is refused with a reason, not a server error.
    await expect(createCaseFromItem({ tenantId: tenant.id, reviewer, itemId: itemIds[1] })).resolves.toMatchObject({ message: 'What do I say to someone who is always late?' });
    await expect(createCaseFromItem({ tenantId: tenant.id, reviewer, itemId: itemIds[0] })).rejects.toMatchObject({ code: 'unreadable', message: expect.stringMatching(/could not be read/) });
  });

  it('encrypts rows stored in plain text before encryption existed, once (idempotent)', async () => {
    const tenant = await makeTenant();
    const user = await makeMember(tenant.id, 'manager');
    const result = await chatTurn(tenant.id, user.id, 'A first question about rotas');
    await db()`update message set content = 'Old plain text about Marcus' where tenant_id = ${tenant.id} and role = 'user'`;
    await db()`update conversation set title = 'Old plain title about Marcus' where tenant_id = ${tenant.id}`;
    expect(await encryptPlaintextRows({ force: true })).toBeGreaterThanOrEqual(2);
    expect(await encryptPlaintextRows({ force: true })).toBe(0);
    expect(await rawTextOfTenant(tenant.id)).not.toContain('Marcus');
    const conversation = (await getConversation({ tenantId: tenant.id, userId: user.id, conversationId: result.conversationId }))!;
    expect(conversation.title).toBe('Old plain title about Marcus');
    expect(conversation.messages[0].content).toBe('Old plain text about Marcus');
    // A retry of the migrated message is recognised by its digest (no duplicate user row).
    await drain(await runTurn({ tenantId: tenant.id, userId: user.id, conversationId: result.conversationId, text: 'Old plain text about Marcus', regenerate: true }, { env: {} }));
    const after = (await getConversation({ tenantId: tenant.id, userId: user.id, conversationId: result.conversationId }))!;
    expect(after.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('rotates a data key without downtime: old versions read during the rotation, everything re-encrypted, then the old key destroyed', async () => {
    const tenant = await makeTenant();
    const user = await makeMember(tenant.id, 'manager');
    const first = await chatTurn(tenant.id, user.id, 'Rotation question one');
    await renameConversation({ tenantId: tenant.id, userId: user.id, conversationId: first.conversationId, title: 'Rota for Marcus' });
    expect(await valuesPerKeyVersion(tenant.id)).toEqual(new Map([[1, 3]]));

    const report = await rotateTenantKey(tenant.id);
    expect(report).toMatchObject({ version: 2, reencrypted: 3, destroyed: [] });
    expect(report.kept.map((k) => k.version)).toEqual([1]);
    expect(await valuesPerKeyVersion(tenant.id)).toEqual(new Map([[2, 3]]));

    // A process that has not seen the rotation still writes under version 1: both versions read.
    const stale = await tenantCipher(tenant.id);
    expect(stale.activeVersion).toBe(2);
    const [keyRow] = await db()<{ n: number }[]>`select count(*)::int as n from tenant_data_key where tenant_id = ${tenant.id}`;
    expect(keyRow.n).toBe(2);
    await chatTurn(tenant.id, user.id, 'Rotation question two', first.conversationId);
    const during = (await getConversation({ tenantId: tenant.id, userId: user.id, conversationId: first.conversationId }))!;
    expect(during.title).toBe('Rota for Marcus');
    expect(during.messages.map((m) => m.content?.slice(0, 22))).toContain('Rotation question one');

    // Once no value names version 1 and no process can hold it, it is destroyed; reads still work.
    const finished = await destroyRetiredKeys(tenant.id, { graceMs: 0 });
    expect(finished.destroyed).toEqual([1]);
    forgetTenantKeys();
    const after = (await getConversation({ tenantId: tenant.id, userId: user.id, conversationId: first.conversationId }))!;
    expect(after.messages.filter((m) => m.unreadable)).toEqual([]);
    expect(after.messages[0].content).toBe('Rotation question one');
    const keys = await db()<{ version: number; status: string }[]>`select version, status from tenant_data_key where tenant_id = ${tenant.id}`;
    expect(keys).toEqual([{ version: 2, status: 'active' }]);
  });

  it('refuses a wrong or missing master key with a clear message, changing nothing', async () => {
    const tenant = await makeTenant();
    await tenantCipher(tenant.id); // the master key check is recorded
    const keyFile = path.join(database.dataDir, 'master.key');
    const original = fs.readFileSync(keyFile, 'utf8');
    const before = await db()`select tenant_id, version, wrapped_key from tenant_data_key order by 1, 2`;
    try {
      process.env.RAPPORT_MASTER_KEY = crypto.randomBytes(32).toString('hex');
      resetEnvForTests();
      resetMasterKeyForTests();
      await expect(getMasterKey(db())).rejects.toThrow(MasterKeyError);
      await expect(getMasterKey(db())).rejects.toThrow(/is not the one this database was encrypted with/);
      delete process.env.RAPPORT_MASTER_KEY;
      resetEnvForTests();
      fs.renameSync(keyFile, `${keyFile}.aside`);
      await expect(getMasterKey(db())).rejects.toThrow(/none is configured/);
      expect(fs.existsSync(keyFile)).toBe(false); // no new key generated over the old data
      process.env.RAPPORT_MASTER_KEY = 'not-a-key';
      resetEnvForTests();
      await expect(getMasterKey(db())).rejects.toThrow(/64 hex digits/);
      // Production with DATABASE_URL: the key must come from the environment, never a generated file.
      delete process.env.RAPPORT_MASTER_KEY;
      const saved = { NODE_ENV: process.env.NODE_ENV, DATABASE_URL: process.env.DATABASE_URL };
      process.env.NODE_ENV = 'production';
      process.env.DATABASE_URL = database.url;
      resetEnvForTests();
      try {
        await expect(getMasterKey(db())).rejects.toThrow(/RAPPORT_MASTER_KEY is required in production with DATABASE_URL/);
      } finally {
        process.env.NODE_ENV = saved.NODE_ENV;
        if (saved.DATABASE_URL === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = saved.DATABASE_URL;
      }
    } finally {
      delete process.env.RAPPORT_MASTER_KEY;
      resetEnvForTests();
      if (fs.existsSync(`${keyFile}.aside`)) fs.renameSync(`${keyFile}.aside`, keyFile);
      resetMasterKeyForTests();
    }
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(original);
    expect((fs.statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
    expect(await db()`select tenant_id, version, wrapped_key from tenant_data_key order by 1, 2`).toEqual(before);
    await expect(getMasterKey(db())).resolves.toHaveLength(32);
  });
});

describe('a tenant’s data, whole', () => {
  it('exports every table the tenant owns, decrypted, and deletes everything with its keys, leaving a tombstone', async () => {
    const tenant = await makeTenant();
    const other = await makeTenant();
    const user = await makeMember(tenant.id, 'manager');
    const otherUser = await makeMember(other.id, 'manager');
    expect((await rapport(['packs', 'import', path.resolve('tenants/brightmart/pack'), '--tenant', tenant.slug, '--publish'], { databaseUrl: database.url })).code).toBe(0);
    const result = await chatTurn(tenant.id, user.id);
    await chatTurn(other.id, otherUser.id, 'The other tenant keeps its conversation');
    await createHandoffCase({ tenantId: tenant.id, userId: user.id, sharedText: `About ${NAMES[0]}`, contactPreference: 'email' });
    // A usage event past its retention is deleted too.
    await db()`update usage_event set at = now() - interval '800 days' where tenant_id = ${tenant.id}`;

    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-export-')), 'out');
    const exported = await rapport(['tenants', 'export', '--tenant', tenant.slug, dir, '--json'], { databaseUrl: database.url });
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.tenant.slug).toBe(tenant.slug);
    for (const table of ['tenants', 'app_user', 'conversation', 'message', 'message_lineage', 'usage_event', 'handoff_case', 'audit_log']) {
      expect(fs.existsSync(path.join(dir, `${table}.jsonl`)), table).toBe(true);
    }
    const messages = fs.readFileSync(path.join(dir, 'message.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(messages.map((m) => m.content)).toContain(MESSAGE);
    expect(messages.every((m) => m.tenant_id === tenant.id)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'conversation.jsonl'), 'utf8')).toContain('Marcus');
    expect(fs.readFileSync(path.join(dir, 'handoff_case.jsonl'), 'utf8')).toContain(`About ${NAMES[0]}`);
    expect(fs.readFileSync(path.join(dir, 'app_user.jsonl'), 'utf8')).not.toContain('password_hash');
    expect(fs.readFileSync(path.join(dir, 'usage_event.jsonl'), 'utf8').trim().split('\n').length).toBeGreaterThan(0);
    expect(JSON.stringify(manifest)).not.toContain(other.id);
    expect(fs.readdirSync(path.join(dir, 'packs')).length).toBe(manifest.packs.documents);
    expect(manifest.packs.documents).toBeGreaterThan(0);

    // The wrong confirmation refuses.
    const refused = await rapport(['tenants', 'delete', '--tenant', tenant.slug, '--confirm', 'nope'], { databaseUrl: database.url });
    expect(refused.code).toBe(2);
    const deleted = await rapport(['tenants', 'delete', '--tenant', tenant.slug, '--confirm', tenant.slug, '--json'], { databaseUrl: database.url });
    expect(deleted.stderr).toBe('');
    expect(deleted.code).toBe(0);
    expect(JSON.parse(deleted.stdout).deleted.tenant_data_key).toBe(1);
    for (const table of await tenantTables()) {
      const [row] = await db().unsafe<{ n: number }[]>(`select count(*)::int as n from ${table} where tenant_id = $1::uuid`, [tenant.id]);
      expect(row.n, table).toBe(0);
    }
    expect(await db()`select 1 from tenants where id = ${tenant.id}`).toHaveLength(0);
    const [tombstone] = await db()<{ slug: string; details: { rowsDeleted: Record<string, number> } }[]>`
      select slug, details from tenant_tombstone where deleted_tenant_id = ${tenant.id}`;
    expect(tombstone.slug).toBe(tenant.slug);
    expect(tombstone.details.rowsDeleted.message).toBe(2);
    expect(tombstone.details.rowsDeleted.usage_event).toBeGreaterThan(0);
    // The other tenant is untouched and still reads its text.
    const others = await listConversations({ tenantId: other.id, userId: otherUser.id });
    expect(others).toHaveLength(1);
    expect((await getConversation({ tenantId: other.id, userId: otherUser.id, conversationId: others[0].id }))!.messages[0].content).toBe(
      'The other tenant keeps its conversation',
    );
    expect(result.conversationId).toBeTruthy();
  });
});
