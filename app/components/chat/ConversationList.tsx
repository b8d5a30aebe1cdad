// The manager's conversations: new, search, rename, delete, export. On a phone it folds away
// behind a toggle so the conversation gets the screen.
import { Form, Link, NavLink, useFetcher } from '@remix-run/react';
import { useState } from 'react';

export interface ConversationListItem {
  id: string;
  title: string;
  safetyLevel: string;
  updatedAt: string;
}

export function ConversationList({ conversations, search, currentId }: { conversations: ConversationListItem[]; search: string; currentId: string | null }) {
  const [open, setOpen] = useState(false);
  return (
    <nav className={`conv-sidebar${open ? ' is-open' : ''}`} aria-label="Your conversations">
      <div className="conv-top">
        <Link to="/chat" className="btn btn-primary conv-new">
          New conversation
        </Link>
        <button type="button" className="btn conv-toggle" aria-expanded={open} aria-controls="conv-panel" onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide conversations' : `Conversations (${conversations.length})`}
        </button>
      </div>
      <div id="conv-panel" className="conv-panel">
        <Form method="get" action="/chat" role="search" className="conv-search">
          <label>
            <span className="visually-hidden">Search your conversations</span>
            <input type="search" name="q" defaultValue={search} placeholder="Search conversations" />
          </label>
        </Form>
        {conversations.length === 0 ? (
          <p className="empty small">{search ? 'Nothing matches that search.' : 'No conversations yet.'}</p>
        ) : (
          <ul className="conv-list">
            {conversations.map((c) => (
              <ConversationRow key={c.id} conversation={c} current={c.id === currentId} />
            ))}
          </ul>
        )}
        <p className="conv-export small">
          Export my conversations:{' '}
          <a href="/chat/export?format=json" download>
            JSON
          </a>{' '}
          ·{' '}
          <a href="/chat/export?format=markdown" download>
            Markdown
          </a>
        </p>
      </div>
    </nav>
  );
}

function ConversationRow({ conversation, current }: { conversation: ConversationListItem; current: boolean }) {
  const [renaming, setRenaming] = useState(false);
  const fetcher = useFetcher();
  if (renaming) {
    return (
      <li className="conv-item">
        <fetcher.Form
          method="post"
          action="/chat"
          className="conv-rename"
          onSubmit={() => setRenaming(false)}
        >
          <input type="hidden" name="intent" value="rename" />
          <input type="hidden" name="conversationId" value={conversation.id} />
          <label>
            <span className="visually-hidden">New title</span>
            <input name="title" defaultValue={conversation.title} maxLength={80} required autoFocus />
          </label>
          <div className="row-form">
            <button type="submit" className="btn btn-small btn-primary">
              Save
            </button>
            <button type="button" className="btn btn-small" onClick={() => setRenaming(false)}>
              Cancel
            </button>
          </div>
        </fetcher.Form>
      </li>
    );
  }
  return (
    <li className={`conv-item${current ? ' is-current' : ''}`}>
      <NavLink to={`/chat/${conversation.id}`} className="conv-link" aria-current={current ? 'page' : undefined}>
        {conversation.safetyLevel === 'crisis' ? <span className="conv-flag" aria-label="Support resources in this conversation" role="img">●</span> : null}
        <span className="conv-title">{conversation.title}</span>
      </NavLink>
      <div className="conv-actions">
        <button type="button" className="btn-link small" onClick={() => setRenaming(true)} aria-label={`Rename “${conversation.title}”`}>
          Rename
        </button>
        <Form
          method="post"
          action="/chat"
          onSubmit={(event) => {
            if (!window.confirm(`Delete “${conversation.title}”? This cannot be undone.`)) event.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="conversationId" value={conversation.id} />
          {current ? <input type="hidden" name="current" value={conversation.id} /> : null}
          <button type="submit" className="btn-link small conv-delete" aria-label={`Delete “${conversation.title}”`}>
            Delete
          </button>
        </Form>
      </div>
    </li>
  );
}
