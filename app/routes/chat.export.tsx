// GET /chat/export?format=json|markdown — the manager's own conversations as a download.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireRole } from '~/.server/auth/guards';
import { exportConversations } from '~/.server/coach/conversations';

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'manager');
  const format = new URL(args.request.url).searchParams.get('format') === 'markdown' ? 'markdown' : 'json';
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
