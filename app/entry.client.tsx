import { RemixBrowser } from '@remix-run/react';
import { startTransition, StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';

// A navigation that starts while another one (or a revalidation, e.g. the one ChatView runs after
// an answer finishes) is still loading aborts the older one. Remix's single-fetch layer can leave
// that older request's promise rejected with the abort reason and nobody awaiting it, so the
// browser reports an "AbortError: signal is aborted without reason" the person never caused and
// cannot act on (seen in CI: "Sign out" clicked while the post-answer revalidation was in flight).
// Only abort rejections are silenced; every other unhandled rejection is still reported.
window.addEventListener('unhandledrejection', (event) => {
  const reason: unknown = event.reason;
  if (reason instanceof DOMException && reason.name === 'AbortError') event.preventDefault();
});

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});
