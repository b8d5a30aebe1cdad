// GET /admin/usage.csv?from=YYYY-MM-DD&to=YYYY-MM-DD — the range's usage events as CSV,
// streamed page by page (see app/.server/metering/export.ts) and audited as an export.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireRole } from '~/.server/auth/guards';
import { exportUsageCsv } from '~/.server/metering/export';
import { usageRangeSchema } from '~/lib/budget-form';

export async function loader(args: LoaderFunctionArgs) {
  const admin = requireRole(args, 'tenant_admin');
  const params = new URL(args.request.url).searchParams;
  const range = usageRangeSchema.safeParse({ from: params.get('from') ?? '', to: params.get('to') ?? '' });
  if (!range.success) {
    const message = range.error.issues.map((issue) => issue.message).join(' ');
    return new Response(message, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const stream = await exportUsageCsv({ admin, range: range.data });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="usage-${range.data.from}-to-${range.data.to}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
