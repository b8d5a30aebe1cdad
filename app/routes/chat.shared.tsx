// /chat/shared — what this manager has shared for review (exactly the anonymized copies reviewers read),
// with withdraw; also the share action and the consent dialog's preview (?preview=<answer id>).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/.server/auth/guards';
import { badRequest, parseForm } from '~/.server/forms';
import { judgeSharedItem } from '~/.server/review/judge';
import { listOwnShares, previewShare, ShareError, shareExchange, sharingAvailability, withdrawShare } from '~/.server/review/sharing';
import { getTenant } from '~/.server/tenants/tenants';

export const meta: MetaFunction = () => [{ title: 'Shared for review · Coach · Rapport' }];

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'manager');
  const previewId = new URL(args.request.url).searchParams.get('preview');
  if (previewId !== null) {
    try {
      const copy = await previewShare({ tenantId: user.tenantId, userId: user.id, messageId: previewId.slice(0, 100) });
      const replaced = Object.values(copy.entityCounts).reduce((a, b) => a + b, 0);
      return { preview: { userText: copy.userText, replyText: copy.replyText, passages: copy.passages, replaced }, previewError: null, shares: [], sharing: null };
    } catch (err) {
      if (err instanceof ShareError) return { preview: null, previewError: err.message, shares: [], sharing: null };
      throw err;
    }
  }
  const tenant = await getTenant({ tenantId: user.tenantId });
  const shares = await listOwnShares({ tenantId: user.tenantId, userId: user.id });
  return {
    preview: null,
    previewError: null,
    sharing: sharingAvailability(tenant.settings),
    shares: shares.map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
  };
}

const shareActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('share'), messageId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal('withdraw'), itemId: z.string().min(1).max(100) }),
]);

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, 'manager');
  const form = await parseForm(args.request, shareActionSchema);
  if (!form.ok) return form.failure;
  if (form.data.intent === 'withdraw') {
    const done = await withdrawShare({ tenantId: user.tenantId, userId: user.id, itemId: form.data.itemId });
    if (!done) throw new Response('That shared exchange was not found.', { status: 404 });
    return { ok: true as const, withdrawn: form.data.itemId };
  }
  try {
    const { itemId, created } = await shareExchange({ tenantId: user.tenantId, userId: user.id, messageId: form.data.messageId });
    // The judge scores it after the fact (when one is configured and the share is sampled); the manager
    // does not wait for it, and a judge failure never undoes the share.
    if (created) void judgeSharedItem({ tenantId: user.tenantId, itemId }).catch((err) => console.warn(`[review] judge failed for ${itemId}: ${(err as Error).message}`));
    return { ok: true as const, shared: itemId };
  } catch (err) {
    if (err instanceof ShareError) return badRequest(err.message, {}, err.code === 'not_found' ? 404 : 400);
    throw err;
  }
}

export default function SharedForReview() {
  const { shares, sharing } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  return (
    <div className="page shared-page">
      <h1>Shared for review</h1>
      <p className="lead">
        Exchanges you chose to share to improve the coach. This is exactly what reviewers can read: anonymized, without your
        name. Withdraw one and it is deleted, with any review of it.
      </p>
      {sharing && !sharing.available ? <p className="alert alert-warn">{sharing.reason}</p> : null}
      {shares.length === 0 ? (
        <p className="empty">
          You have not shared anything. Under any answer, choose “Share this exchange to improve the coach”. <Link to="/chat">Back to the coach</Link>
        </p>
      ) : (
        <ul className="plain-list shared-list">
          {shares.map((s) => (
            <li key={s.id} className="card shared-item">
              <p className="small muted">
                Shared {new Date(s.createdAt).toLocaleString()} · {s.reviewed ? 'reviewed' : 'not reviewed yet'}
              </p>
              <p className="share-label">Your message</p>
              <blockquote>{s.userText}</blockquote>
              <p className="share-label">The answer</p>
              <blockquote className="shared-reply">{s.replyText}</blockquote>
              <Form method="post" className="row-form">
                <input type="hidden" name="intent" value="withdraw" />
                <input type="hidden" name="itemId" value={s.id} />
                <button type="submit" className="btn btn-danger btn-small" disabled={navigation.state !== 'idle'}>
                  Withdraw and delete
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
