import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/.server/auth/guards';
import { parseForm } from '~/.server/forms';
import { listHandoffCases, safetyCountsByWeek, safetyTotalsByWeek, setHandoffStatus } from '~/.server/safety/events';
import { HandoffCases } from '~/components/safety/HandoffCases';
import { HANDOFF_STATUS_LABELS, HANDOFF_STATUSES } from '~/components/safety/handoff-status';
import { SafetyCounts } from '~/components/safety/SafetyCounts';
import { buildWeeklySafety, formatShownCount, suppressSmallCounts, weekStart } from '~/components/safety/weekly-counts';
import safetyStyles from '~/styles/safety.css?url';

export const meta: MetaFunction = () => [{ title: 'Safety & hand-offs · Rapport' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: safetyStyles }];

const WEEKS = 12;

// Counts and consented hand-off cases only: nothing here reads conversations or messages.
export async function loader(args: LoaderFunctionArgs) {
  const hr = requireRole(args, 'hr_admin');
  const [categoryRows, levelRows, cases] = await Promise.all([
    safetyCountsByWeek({ tenantId: hr.tenantId, weeks: WEEKS }),
    safetyTotalsByWeek({ tenantId: hr.tenantId, weeks: WEEKS }),
    listHandoffCases({ tenantId: hr.tenantId }),
  ]);
  // Counts of 1–4 never leave the server (weekly-counts.ts); cases show the week they were asked in.
  const weekly = suppressSmallCounts(buildWeeklySafety(categoryRows, levelRows, { weeks: WEEKS }));
  return { weeks: WEEKS, weekly, cases: cases.map((c) => ({ ...c, createdAt: weekStart(new Date(c.createdAt)) })) };
}

const statusSchema = z.object({
  intent: z.literal('status'),
  caseId: z.string().uuid('Unknown case.'),
  status: z.enum(HANDOFF_STATUSES, { message: 'Choose open, in progress or closed.' }),
});

export async function action(args: ActionFunctionArgs) {
  const hr = requireRole(args, 'hr_admin');
  const form = await parseForm(args.request, statusSchema);
  if (!form.ok) return form.failure;
  const { caseId, status } = form.data;
  const changed = await setHandoffStatus({ tenantId: hr.tenantId, caseId, status, actor: { userId: hr.id, label: hr.email } });
  if (!changed) return data({ ok: false as const, formError: 'That case no longer exists.', fieldErrors: {} }, { status: 404 });
  return { ok: true as const, message: `Case marked ${HANDOFF_STATUS_LABELS[status].toLowerCase()}.` };
}

export default function SafetyPage() {
  const { weeks, weekly, cases } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const open = cases.filter((c) => c.status === 'open').length;
  const inProgress = cases.filter((c) => c.status === 'in_progress').length;
  return (
    <div className="page safety-page">
      <div>
        <h1>Safety &amp; hand-offs</h1>
        <p className="lead">
          You see how often people needed support, and the cases where someone asked a person to contact them. Conversations with the coach stay
          private: nobody on the employer side can read them.
        </p>
      </div>
      {result ? (
        <div role={result.ok ? 'status' : 'alert'} className={`alert ${result.ok ? 'alert-ok' : 'alert-error'}`}>
          <p>{result.ok ? result.message : result.formError}</p>
        </div>
      ) : null}
      <dl className="stats" data-testid="safety-stats">
        <div>
          <dt>Open cases</dt>
          <dd>{open}</dd>
        </div>
        <div>
          <dt>Cases in progress</dt>
          <dd>{inProgress}</dd>
        </div>
        <div>
          <dt>Crisis, last {weeks} weeks</dt>
          <dd>{formatShownCount(weekly.totals.crisis)}</dd>
        </div>
        <div>
          <dt>Concern, last {weeks} weeks</dt>
          <dd>{formatShownCount(weekly.totals.concern)}</dd>
        </div>
      </dl>
      <HandoffCases cases={cases.map((c) => ({ ...c, createdAt: String(c.createdAt) }))} busy={busy} />
      <SafetyCounts weekly={weekly} weeks={weeks} />
    </div>
  );
}
