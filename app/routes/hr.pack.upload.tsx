// Resource route: one or more files in, one outcome per file out (JSON). Processing continues in
// the background; the page polls /hr/pack/status for progress.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { requireRole } from '~/.server/auth/guards';
import { acceptUploads } from '~/.server/culture/ingest';
import { readUploadedFiles, UploadRefused } from '~/.server/culture/upload';

export async function loader(args: LoaderFunctionArgs) {
  requireRole(args, 'hr_admin');
  throw new Response('Upload files with POST.', { status: 405 });
}

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, 'hr_admin');
  try {
    const files = await readUploadedFiles(args.request);
    const outcomes = await acceptUploads({ tenantId: user.tenantId, userId: user.id, files });
    return data({ outcomes });
  } catch (err) {
    if (err instanceof UploadRefused) return data({ outcomes: [], error: err.message }, { status: err.status });
    throw err;
  }
}
