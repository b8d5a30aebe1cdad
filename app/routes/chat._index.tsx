// A fresh start: a friendly empty state with the tenant's starter prompts. The first message
// creates the conversation, then the conversation page sends it (the text travels in memory).
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useFetcher, useLoaderData, useNavigate } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { requireRole } from '~/.server/auth/guards';
import { createConversation } from '~/.server/coach/conversations';
import { starterPromptsFor } from '~/.server/coach/culture-context';
import { getTenant } from '~/.server/tenants/tenants';
import { Composer } from '~/components/chat/Composer';

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'manager');
  const tenant = await getTenant({ tenantId: user.tenantId });
  const owner = /s$/i.test(tenant.name) ? `${tenant.name}'` : `${tenant.name}'s`;
  return { tenantOwner: owner, starterPrompts: starterPromptsFor(tenant) };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, 'manager');
  const conversation = await createConversation({ tenantId: user.tenantId, userId: user.id });
  return { id: conversation.id };
}

export default function NewConversation() {
  const { tenantOwner, starterPrompts } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const navigate = useNavigate();
  const pending = useRef<string | null>(null);
  const [draft, setDraft] = useState('');

  // Navigate only once the fetcher is idle: leaving while its revalidation is in flight aborts
  // the route discovery for /chat/:id and the page would render nothing.
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.id && pending.current) {
      const text = pending.current;
      pending.current = null;
      navigate(`/chat/${fetcher.data.id}`, { state: { pendingText: text } });
    }
  }, [fetcher.state, fetcher.data, navigate]);

  const start = (text: string) => {
    pending.current = text;
    fetcher.submit({}, { method: 'post' });
  };
  const busy = fetcher.state !== 'idle' || pending.current !== null;

  return (
    <div className="chat-empty">
      <div className="chat-empty-intro">
        <h1>Hi, what's on your mind?</h1>
        <p className="lead">
          Bring a real situation from your shift. I'll help you think it through, grounded in {tenantOwner} own guidance — and
          what you say here stays between us.
        </p>
      </div>
      <div className="starter-prompts" role="list" aria-label="Ideas to start with">
        {starterPrompts.map((prompt) => (
          <div role="listitem" key={prompt}>
            <button type="button" className="starter" onClick={() => start(prompt)} disabled={busy}>
              {prompt}
            </button>
          </div>
        ))}
      </div>
      <Composer value={draft} onChange={setDraft} onSend={start} busy={busy} />
    </div>
  );
}
