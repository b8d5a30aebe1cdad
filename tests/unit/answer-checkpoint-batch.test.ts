// Streaming checkpoints of one tenant's live answers are written together (docs/decisions/064): one statement
// when one of them comes due, with the others of the tenant written at least half a window ago; one timer for the
// process's heartbeats; never two writes of a tenant in flight; stop() waits for the write its answer is in.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnswerCheckpoint, setCheckpointWriter, type CheckpointRow } from '~/.server/coach/answer-checkpoint';

const TENANT_A = '00000000-0000-4000-8000-00000000000a';
const TENANT_B = '00000000-0000-4000-8000-00000000000b';
const owner = (tenantId: string, n: number) => ({
  tenantId,
  userId: `user-${n}`,
  conversationId: `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`,
  messageId: `00000000-0000-4000-8000-0000000002${String(n).padStart(2, '0')}`,
});

let writes: Array<{ tenantId: string; ids: string[] }>;
let release: (() => void) | null;
let hold: boolean;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
  writes = [];
  release = null;
  hold = false;
  setCheckpointWriter(async (tenantId: string, rows: CheckpointRow[]) => {
    writes.push({ tenantId, ids: rows.map((r) => r.owner.messageId) });
    if (hold) await new Promise<void>((resolve) => (release = resolve));
  });
});

afterEach(() => {
  setCheckpointWriter(null);
  vi.useRealTimers();
});

const settle = () => vi.advanceTimersByTimeAsync(0);

describe('answer checkpoints written together', () => {
  it("writes a tenant's live answers in one statement when one comes due, and not another tenant's", async () => {
    const a = new AnswerCheckpoint(owner(TENANT_A, 1), { keepText: false, placeholderAt: 0 });
    const b = new AnswerCheckpoint(owner(TENANT_A, 2), { keepText: false, placeholderAt: 300 });
    const c = new AnswerCheckpoint(owner(TENANT_B, 3), { keepText: false, placeholderAt: 0 });
    vi.setSystemTime(100);
    for (const x of [a, b, c]) x.push('Hello ');
    await settle();
    expect(writes).toEqual([]);

    vi.setSystemTime(1000);
    a.push('there ');
    await settle();
    // b was written (its placeholder) 700 ms ago and has new text: it goes with a.
    expect(writes).toEqual([{ tenantId: TENANT_A, ids: [a.owner.messageId, b.owner.messageId] }]);
    b.push('friend ');
    await settle();
    expect(writes).toHaveLength(1);

    vi.setSystemTime(1050);
    c.push('again ');
    await settle();
    expect(writes[1]).toEqual({ tenantId: TENANT_B, ids: [c.owner.messageId] });

    // In phase from now on: the next due write of the tenant takes both again (a has new text since).
    vi.setSystemTime(1500);
    a.push('and ');
    await settle();
    expect(writes).toHaveLength(2);
    vi.setSystemTime(2000);
    b.push('more ');
    await settle();
    expect(writes[2]).toEqual({ tenantId: TENANT_A, ids: [a.owner.messageId, b.owner.messageId] });
    for (const x of [a, b, c]) await x.stop();
  });

  it('keeps quiet answers fresh with one heartbeat timer, and stops writing a stopped answer', async () => {
    const a = new AnswerCheckpoint(owner(TENANT_A, 4), { keepText: false, placeholderAt: 0 });
    const b = new AnswerCheckpoint(owner(TENANT_A, 5), { keepText: false, placeholderAt: 0 });
    a.push('One ');
    b.push('Two ');
    await settle();
    expect(writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(2100);
    expect(writes).toEqual([{ tenantId: TENANT_A, ids: [a.owner.messageId, b.owner.messageId] }]);
    await a.stop();
    await vi.advanceTimersByTimeAsync(2100);
    expect(writes[1]).toEqual({ tenantId: TENANT_A, ids: [b.owner.messageId] });
    await b.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(writes).toHaveLength(2);
  });

  it("never has two writes of a tenant in flight, and stop() waits for the write its answer is in", async () => {
    // No placeholder: the first text is written at once (the row is created).
    const a = new AnswerCheckpoint(owner(TENANT_A, 6), { keepText: false });
    hold = true;
    a.push('First ');
    await settle();
    expect(writes).toHaveLength(1);
    const b = new AnswerCheckpoint(owner(TENANT_A, 7), { keepText: false });
    b.push('Second ');
    await settle();
    expect(writes).toHaveLength(1);
    let stopped = false;
    const stopping = a.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    hold = false;
    release!();
    await stopping;
    expect(stopped).toBe(true);
    // b's first write waited for the one in flight and goes with its next text.
    b.push('more ');
    await settle();
    expect(writes[1]).toEqual({ tenantId: TENANT_A, ids: [b.owner.messageId] });
    await b.stop();
  });
});
