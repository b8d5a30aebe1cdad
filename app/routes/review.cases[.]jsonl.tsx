// GET /review/cases.jsonl — the evaluation set as JSON lines (the scenarios shape `rapport eval` reads).
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireRole } from '~/.server/auth/guards';
import { casesToJsonLines, listEvalCases } from '~/.server/review/cases';

export async function loader(args: LoaderFunctionArgs) {
  const reviewer = requireRole(args, 'reviewer');
  const body = casesToJsonLines(await listEvalCases({ tenantId: reviewer.tenantId }));
  return new Response(body, {
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="evaluation-set-${new Date().toISOString().slice(0, 10)}.jsonl"`,
      'cache-control': 'no-store',
    },
  });
}
