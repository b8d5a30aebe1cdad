// One conversation: the streamed chat, citations, ratings and — after a crisis — the resources
// panel with the consented hand-off.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useLocation } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/.server/auth/guards';
import { getConversation, rateMessage } from '~/.server/coach/conversations';
import { loadCoachCulture, resourcesViewFor } from '~/.server/coach/culture-context';
import { toChatUIMessages } from '~/.server/coach/ui-messages';
import { badRequest, parseForm } from '~/.server/forms';
import { createHandoffCase, handoffRequestedIn } from '~/.server/safety/events';
import { getTenant } from '~/.server/tenants/tenants';
import { ChatView } from '~/components/chat/ChatView';
import { contactPointsFor } from '~/lib/contact-links';
import { parseContactChoice } from '~/lib/handoff-contact';

// Never the conversation's title: it may hold the person's words, and tab titles end up in the
// browser history of a possibly shared device.
export const meta: MetaFunction<typeof loader> = () => [{ title: 'Conversation · Coach · Rapport' }];

function notFound(): never {
  throw new Response('That conversation was not found.', { status: 404 });
}

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'manager');
  const conversation = await getConversation({ tenantId: user.tenantId, userId: user.id, conversationId: args.params.id ?? '' });
  if (!conversation) notFound();
  const tenant = await getTenant({ tenantId: user.tenantId });
  const culture = await loadCoachCulture(tenant);
  // Only a crisis conversation shows the offer of a person; the question is asked for those alone.
  const handoffRequested = conversation.safetyLevel === 'crisis' ? await handoffRequestedIn({ tenantId: user.tenantId, conversationId: conversation.id }) : false;
  return {
    conversation: { id: conversation.id, title: conversation.title, safetyLevel: conversation.safetyLevel, handoffRequested },
    messages: toChatUIMessages(conversation.messages, conversation.id),
    // Always sent: a crisis can happen mid-conversation and the panel must work without a reload.
    // In the language the conversation was last held in, else the tenant's (lib/i18n.ts).
    resources: resourcesViewFor(culture.resources, conversation.country ?? tenant.country, conversation.language ?? tenant.settings.language),
    // The tenant's numbers and sites as tappable links, in any language (lib/contact-links.ts).
    contacts: contactPointsFor(culture.resources, conversation.country ?? tenant.country),
  };
}

const conversationActionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('rate'),
    messageId: z.string().max(100),
    rating: z.enum(['1', '-1']),
    comment: z.string().max(1000, 'Please keep comments under 1,000 characters').optional(),
  }),
  z.object({
    intent: z.literal('handoff'),
    sharedText: z.string().trim().min(1, 'Write what you would like to share').max(2000, 'Please keep it under 2,000 characters'),
    contactMethod: z.string().max(40).optional(),
    contactValue: z.string().max(200).optional(),
    // A note about timing ("after 5pm"); optional since the person picks a method.
    contactPreference: z.string().trim().max(200, 'Please keep it under 200 characters').optional(),
  }),
]);

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, 'manager');
  const conversationId = args.params.id ?? '';
  const form = await parseForm(args.request, conversationActionSchema);
  if (!form.ok) return form.failure;
  if (form.data.intent === 'rate') {
    const result = await rateMessage({
      tenantId: user.tenantId,
      userId: user.id,
      messageId: form.data.messageId,
      rating: Number(form.data.rating) as -1 | 1,
      comment: form.data.comment,
    });
    if (result === 'not_found') notFound();
    return { ok: true as const, rated: form.data.messageId };
  }
  // Shared: the person's name and work email (so someone can reach them), the contact method
  // they chose and what they typed into the consent form — nothing from the conversation.
  const choice = parseContactChoice(form.data.contactMethod ?? 'work_email', form.data.contactValue);
  if (!choice.ok) {
    // Codes, shown by the form in the person's language.
    return badRequest('Please correct the highlighted fields.', choice.error === 'method' ? { contactMethod: 'method' } : { contactValue: choice.error });
  }
  const conversation = await getConversation({ tenantId: user.tenantId, userId: user.id, conversationId });
  if (!conversation) notFound();
  await createHandoffCase({
    tenantId: user.tenantId,
    userId: user.id,
    conversationId: conversation.id,
    sharedText: form.data.sharedText,
    contactPreference: form.data.contactPreference ?? '',
    contactMethod: choice.method,
    contactValue: choice.value,
  });
  return { ok: true as const, handoff: true };
}

export default function ConversationPage() {
  const { conversation, messages, resources, contacts } = useLoaderData<typeof loader>();
  const location = useLocation();
  const pendingText = (location.state as { pendingText?: string } | null)?.pendingText ?? null;
  return (
    <ChatView
      key={conversation.id}
      conversationId={conversation.id}
      title={conversation.title}
      initialMessages={messages}
      initialSafetyLevel={conversation.safetyLevel}
      handoffRequested={conversation.handoffRequested}
      resources={resources}
      contacts={contacts}
      pendingText={pendingText}
    />
  );
}
