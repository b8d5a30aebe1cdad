// The coach: a layout with the manager's conversations (new, search, rename, delete, export)
// beside the open conversation.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Outlet, useLoaderData, useParams } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/.server/auth/guards';
import { deleteConversation, listConversations, renameConversation } from '~/.server/coach/conversations';
import { parseForm } from '~/.server/forms';
import { sharedMessageIds, sharingAvailability } from '~/.server/review/sharing';
import { getTenant } from '~/.server/tenants/tenants';
import { ConversationList } from '~/components/chat/ConversationList';
import type { SharingState } from '~/components/review/ShareExchange';
import chatStyles from '~/styles/chat.css?url';
import reviewStyles from '~/styles/review.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: chatStyles },
  { rel: 'stylesheet', href: reviewStyles },
];
export const meta: MetaFunction = () => [{ title: 'Coach · Rapport' }];

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'manager');
  const search = new URL(args.request.url).searchParams.get('q')?.slice(0, 200) ?? '';
  const [conversations, tenant, shared] = await Promise.all([
    listConversations({ tenantId: user.tenantId, userId: user.id, search }),
    getTenant({ tenantId: user.tenantId }),
    sharedMessageIds({ tenantId: user.tenantId, userId: user.id }),
  ]);
  const availability = sharingAvailability(tenant.settings);
  // Read by the share control under each answer (components/review/ShareExchange).
  const sharing: SharingState = { available: availability.available, reason: availability.available ? null : availability.reason, sharedMessageIds: shared };
  return {
    search,
    sharing,
    conversations: conversations.map((c) => ({ id: c.id, title: c.title, safetyLevel: c.safetyLevel, updatedAt: c.updatedAt.toISOString() })),
  };
}

const conversationFormSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('rename'), conversationId: z.string().max(100), title: z.string().trim().min(1, 'Give it a title').max(80) }),
  z.object({ intent: z.literal('delete'), conversationId: z.string().max(100), current: z.string().max(100).optional() }),
]);

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, 'manager');
  const form = await parseForm(args.request, conversationFormSchema);
  if (!form.ok) return form.failure;
  const owner = { tenantId: user.tenantId, userId: user.id, conversationId: form.data.conversationId };
  if (form.data.intent === 'rename') {
    if (!(await renameConversation({ ...owner, title: form.data.title }))) throw new Response('That conversation was not found.', { status: 404 });
    return { ok: true as const, renamed: form.data.conversationId };
  }
  if (!(await deleteConversation(owner))) throw new Response('That conversation was not found.', { status: 404 });
  // Deleting the open conversation leaves nothing to show: go back to a fresh start.
  if (form.data.current === form.data.conversationId) throw redirect('/chat');
  return { ok: true as const, deleted: form.data.conversationId };
}

export default function ChatLayout() {
  const { conversations, search } = useLoaderData<typeof loader>();
  const params = useParams();
  return (
    <div className="chat-layout">
      <ConversationList conversations={conversations} search={search} currentId={params.id ?? null} />
      <section className="chat-main" aria-label="Conversation">
        <Outlet />
      </section>
    </div>
  );
}
