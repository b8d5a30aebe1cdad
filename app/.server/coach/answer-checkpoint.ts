// A streaming answer survives a server crash: the text the browser has been shown is written
// as it streams (one cheap single-statement write at most once a second, never awaited by the
// stream and never more than one in flight, so the embedded database is held for moments only
// and no transaction spans the stream). The row says status 'streaming'; storeAnswer overwrites
// it with the final answer. A row still 'streaming' whose process is gone is swept to
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

export class AnswerCheckpoint {
  private text = '';
  private written = -1;
  private lastWriteAt = 0;
  private inFlight: Promise<void> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly owner: CheckpointOwner,
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
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => this.write(true), HEARTBEAT_MS);
      this.heartbeat.unref();
    }
    if (this.written < 0 || Date.now() - this.lastWriteAt >= (this.opts.everyMs ?? CHECKPOINT_EVERY_MS)) this.write(false);
  }

  /** Stops checkpointing and waits for a write in flight, so the final answer is written last. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.inFlight;
  }

  private write(heartbeat: boolean) {
    if (this.inFlight || this.stopped) return;
    if (!heartbeat && this.text.length === this.written) return;
    const length = this.text.length;
    this.lastWriteAt = Date.now();
    this.inFlight = writeCheckpoint(this.owner, this.opts.keepText ? this.text : null, this.opts.modelId ?? null)
      .then(() => {
        this.written = length;
      })
      .catch((error) => console.warn(`[chat] checkpoint of answer ${this.owner.messageId} failed: ${(error as Error).message}`))
      .finally(() => {
        this.inFlight = null;
      });
  }
}

/** One statement: the row is created on the first write and updated after, while still streaming. */
async function writeCheckpoint(owner: CheckpointOwner, plain: string | null, modelId: string | null): Promise<unknown> {
  // The partial answer is conversation text like any other: encrypted at rest (ADR 029).
  const content = plain === null ? null : (await tenantCipher(owner.tenantId)).encrypt(plain);
  return tenantRoundTrip(owner.tenantId, [checkpointStatement(owner, content, modelId)]);
}

function checkpointStatement(owner: CheckpointOwner, content: string | null, modelId: string | null): string {
  const tenant = uuidLiteral(owner.tenantId);
  return `insert into message (tenant_id, id, conversation_id, user_id, role, content, status, model_id, checkpoint_at)
     values (${tenant}, ${uuidLiteral(owner.messageId)}, ${uuidLiteral(owner.conversationId)}, ${literal(owner.userId)}, 'assistant',
       ${literal(content)}, 'streaming', ${literal(modelId)}, now())
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
  return checkpointStatement(owner, null, null);
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
