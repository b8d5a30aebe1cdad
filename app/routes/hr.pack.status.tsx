// Resource route polled by the upload page: status and progress of the given documents.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireRole } from '~/.server/auth/guards';
import { documentStatuses } from '~/.server/culture/admin';

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'hr_admin');
  const ids = (new URL(args.request.url).searchParams.get('ids') ?? '').split(',').filter(Boolean);
  const documents = await documentStatuses(user.tenantId, ids);
  return Response.json({ documents }, { headers: { 'Cache-Control': 'no-store' } });
}
