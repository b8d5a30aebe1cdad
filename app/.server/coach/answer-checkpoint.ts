// A streaming answer survives a server crash: the text the browser has been shown is written
// as it streams (at most once a second, never awaited by the stream and never more than one write
// per tenant in flight, so the embedded database is held for moments only and no transaction spans
// the stream; a tenant's live answers go in one statement). The row says status 'streaming'; storeAnswer
// overwrites it with the final answer. A row still 'streaming' whose process is gone is swept to
// 'interrupted' (on start, and periodically), so the person sees "This answer was cut off — Retry".
import { db } from '~/.server/db/client';
import { literal, tenantRoundTrip, uuidLiteral } from '~/.server/db/round-trip';
import { registerJob } from '~/.server/jobs';
import { tenantCipher } from '~/.server/privacy/tenant-keys';

/** A live stream writes at least this often (a heartbeat when the model is quiet). */
export const CHECKPOINT_EVERY_MS = 1000;
const HEARTBEAT_MS = 2000;
/** A streaming row this much older than its last write belongs to a process that is gone. */
export const STALE_STREAM_MS = 15_000;

export interface CheckpointOwner {
  tenantId: string;
  userId: string;
  conversationId: string;
  messageId: string;
}

/** One row of a checkpoint write: the answer's text as stored (encrypted, or null when text is not kept). */
export interface CheckpointRow {
  owner: CheckpointOwner;
  content: string | null;
  modelId: string | null;
}

/** Writes one tenant's rows in one round trip (one statement); tests replace it (setCheckpointWriter). */
export type CheckpointWriter = (tenantId: string, rows: CheckpointRow[]) => Promise<unknown>;

const writeRows: CheckpointWriter = (tenantId, rows) => tenantRoundTrip(tenantId, [checkpointStatement(rows)]);
let writer: CheckpointWriter = writeRows;

/** For tests: the writer every checkpoint uses; returns the previous one. */
export function setCheckpointWriter(next: CheckpointWriter | null): CheckpointWriter {
  const previous = writer;
  writer = next ?? writeRows;
  return previous;
}

/**
 * The live checkpoints of the process, by tenant, written together: when one stream's write comes due (inside a
 * wake-up the process makes anyway, the provider read that released its text), every other live answer of its
 * tenant last written at least half a window ago goes in the same statement. So a hundred answers streaming for
 * one tenant cost about one round trip a second, not a hundred plus their heartbeats (docs/decisions/064); and,
 * once written together, they stay in phase. At most one write per tenant is in flight.
 */
const liveByTenant = new Map<string, Set<AnswerCheckpoint>>();
const inFlightByTenant = new Map<string, Promise<void>>();
let heartbeat: NodeJS.Timeout | null = null;

function track(checkpoint: AnswerCheckpoint) {
  const tenantId = checkpoint.owner.tenantId;
  let live = liveByTenant.get(tenantId);
  if (!live) liveByTenant.set(tenantId, (live = new Set()));
  live.add(checkpoint);
  if (heartbeat) return;
  // One timer for the process, for answers whose model has gone quiet (a streaming answer otherwise writes as it goes).
  heartbeat = setInterval(() => {
    const now = Date.now();
    for (const [tenantId, checkpoints] of liveByTenant) {
      for (const c of checkpoints) {
        if (now - c.lastWriteAt >= HEARTBEAT_MS) {
          flushTenant(tenantId, now);
          break;
        }
      }
    }
  }, HEARTBEAT_MS / 2);
  heartbeat.unref();
}

function untrack(checkpoint: AnswerCheckpoint) {
  const live = liveByTenant.get(checkpoint.owner.tenantId);
  live?.delete(checkpoint);
  if (live?.size === 0) liveByTenant.delete(checkpoint.owner.tenantId);
  if (liveByTenant.size === 0 && heartbeat) {
    clearInterval(heartbeat);
    heartbeat = null;
  }
}

function flushTenant(tenantId: string, now: number) {
  if (inFlightByTenant.has(tenantId)) return;
  const batch: AnswerCheckpoint[] = [];
  for (const c of liveByTenant.get(tenantId) ?? []) if (c.wantsWrite(now)) batch.push(c);
  if (batch.length === 0) return;
  const lengths = batch.map((c) => c.textLength);
  for (const c of batch) c.lastWriteAt = now;
  const write = (async () => {
    try {
      const rows = await Promise.all(batch.map((c) => c.row()));
      await writer(tenantId, rows);
      batch.forEach((c, i) => (c.written = lengths[i]));
    } catch (error) {
      console.warn(`[chat] checkpoint of ${batch.length} answer(s) (${batch[0].owner.messageId}…) failed: ${(error as Error).message}`);
    } finally {
      inFlightByTenant.delete(tenantId);
      for (const c of batch) c.inFlight = null;
    }
  })();
  inFlightByTenant.set(tenantId, write);
  for (const c of batch) c.inFlight = write;
}

export class AnswerCheckpoint {
  private text = '';
  /** Characters of text the row holds (-1: no row yet). */
  written = -1;
  lastWriteAt = 0;
  inFlight: Promise<void> | null = null;
  private tracked = false;
  private stopped = false;
  /** The last text encrypted, for a heartbeat that writes the same text again. */
  private sealed: { length: number; content: string | null } | null = null;

  constructor(
    readonly owner: CheckpointOwner,
    private readonly opts: {
      keepText: boolean;
      modelId?: string | null;
      everyMs?: number;
      /**
       * When the turn already wrote the row (empty, 'streaming'; placeholderStatement) before the model call:
       * the first text is written once `everyMs` has passed since then, not at once.
       */
      placeholderAt?: number;
    },
  ) {
    if (opts.placeholderAt !== undefined) {
      this.written = 0;
      this.lastWriteAt = opts.placeholderAt;
    }
  }

  /** Text released to the browser; written when a second has passed since the last write. */
  push(released: string) {
    if (this.stopped || !released) return;
    this.text += released;
    if (!this.tracked) {
      this.tracked = true;
      track(this);
    }
    const now = Date.now();
    if (this.written < 0 || now - this.lastWriteAt >= this.everyMs) flushTenant(this.owner.tenantId, now);
  }

  /** Stops checkpointing and waits for a write in flight, so the final answer is written last. */
  async stop(): Promise<void> {
    this.stopped = true;
    untrack(this);
    await this.inFlight;
  }

  get textLength(): number {
    return this.text.length;
  }

  private get everyMs(): number {
    return this.opts.everyMs ?? CHECKPOINT_EVERY_MS;
  }

  /** In the tenant's next write: due, or written at least half a window ago (so the tenant's answers stay in phase). */
  wantsWrite(now: number): boolean {
    if (this.stopped || this.inFlight) return false;
    if (this.written < 0) return true;
    const since = now - this.lastWriteAt;
    return since >= HEARTBEAT_MS || (this.text.length !== this.written && since >= this.everyMs / 2);
  }

  /** The row as it is written now: the text so far, encrypted at rest like any conversation text (ADR 029). */
  async row(): Promise<CheckpointRow> {
    const length = this.text.length;
    if (!this.opts.keepText) return { owner: this.owner, content: null, modelId: this.opts.modelId ?? null };
    if (this.sealed?.length !== length) {
      const content = (await tenantCipher(this.owner.tenantId)).encrypt(this.text.slice(0, length));
      this.sealed = { length, content };
    }
    return { owner: this.owner, content: this.sealed.content, modelId: this.opts.modelId ?? null };
  }
}

/** One statement for a tenant's rows: a row is created on its first write and updated after, while still streaming. */
function checkpointStatement(rows: CheckpointRow[]): string {
  const values = rows.map(({ owner, content, modelId }) =>
    `(${uuidLiteral(owner.tenantId)}, ${uuidLiteral(owner.messageId)}, ${uuidLiteral(owner.conversationId)}, ${literal(owner.userId)}, 'assistant',
       ${literal(content)}, 'streaming', ${literal(modelId)}, now())`,
  );
  return `insert into message (tenant_id, id, conversation_id, user_id, role, content, status, model_id, checkpoint_at)
     values ${values.join(',\n       ')}
     on conflict (tenant_id, id) do update set content = excluded.content, checkpoint_at = now(),
       model_id = coalesce(excluded.model_id, message.model_id)
     where message.status = 'streaming'`;
}

/**
 * The answer's row before the model is called, empty and 'streaming', for a round trip the turn makes anyway
 * (coach/turn-round-trip.ts): a crash from here on leaves an answer the sweep marks interrupted, and the first
 * token is no longer followed at once by a write of its own (AnswerCheckpoint's placeholderAt).
 */
export function placeholderStatement(owner: CheckpointOwner): string {
  return checkpointStatement([{ owner, content: null, modelId: null }]);
}

/**
 * Marks answers left 'streaming' as 'interrupted'. `all`: every one (the process that has just
 * opened the embedded database knows no other process can be streaming); otherwise only those
 * whose last write is older than STALE_STREAM_MS (a shared Postgres, other processes alive).
 * Runs as the connecting role, across tenants, like migrations.
 */
export async function sweepInterruptedAnswers({ all = false }: { all?: boolean } = {}): Promise<number> {
  const rows = all
    ? await db()`update message set status = 'interrupted' where status = 'streaming' returning id`
    : await db()`update message set status = 'interrupted'
        where status = 'streaming' and coalesce(checkpoint_at, created_at) < now() - make_interval(secs => ${STALE_STREAM_MS / 1000})
        returning id`;
  return rows.length;
}

/** How a stored 'streaming' answer should be shown: still being written, or cut off. */
export function effectiveStatus<S extends string>(status: S, checkpointAt: Date | null, now = Date.now()): S | 'interrupted' {
  if (status !== 'streaming') return status;
  return checkpointAt && now - checkpointAt.getTime() < STALE_STREAM_MS ? status : 'interrupted';
}

// With a shared Postgres other processes may die on their own: their answers are swept once stale.
registerJob({
  name: 'interrupted-answers',
  everyMs: 60_000,
  async run() {
    const count = await sweepInterruptedAnswers();
    return count > 0 ? `${count} answer(s) left streaming by a stopped process marked interrupted` : undefined;
  },
});
