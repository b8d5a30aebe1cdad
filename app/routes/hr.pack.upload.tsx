// Resource route: one or more files in, one outcome per file out (JSON). Processing continues in
// the background; the page polls /hr/pack/status for progress. A resource route answers with a real
// Response: with single fetch (v3_singleFetch) a `data()` object here is converted with a "REMIX FUTURE
// CHANGE" warning on every upload, and React Router v7 will no longer convert it at all.
import { type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
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
    return Response.json({ outcomes });
  } catch (err) {
    if (err instanceof UploadRefused) return Response.json({ outcomes: [], error: err.message }, { status: err.status });
    throw err;
  }
}
