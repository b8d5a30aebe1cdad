// GET /chat/export?format=json|markdown — the manager's own conversations as a download.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireRole } from '~/.server/auth/guards';
import { exportConversations } from '~/.server/coach/conversations';

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'manager');
  const asked = new URL(args.request.url).searchParams.get('format') ?? 'json';
  if (asked !== 'json' && asked !== 'markdown') {
    return new Response('Unknown export format. Use ?format=json or ?format=markdown.', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const format = asked;
  const body = await exportConversations({ tenantId: user.tenantId, userId: user.id, format });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'content-type': format === 'json' ? 'application/json; charset=utf-8' : 'text/markdown; charset=utf-8',
      'content-disposition': `attachment; filename="rapport-conversations-${day}.${format === 'json' ? 'json' : 'md'}"`,
      'cache-control': 'no-store',
    },
  });
}
