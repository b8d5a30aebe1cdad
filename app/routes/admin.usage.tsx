import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';
import { fieldErrorsOf } from '~/.server/forms';
import { getUsageDashboard, type UsageDashboard } from '~/.server/metering/dashboard';
import { BarChart, HorizontalBars, LineChart } from '~/components/charts';
import { usageRangeSchema } from '~/lib/budget-form';
import { formatCount, formatMoneyMicros, formatMs, formatShortDate, formatTokens } from '~/lib/format';
import adminStyles from '~/styles/admin.css?url';

export const meta: MetaFunction = () => [{ title: 'Usage & cost · Rapport' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: adminStyles }];

export async function loader(args: LoaderFunctionArgs) {
  const admin = requireRole(args, 'tenant_admin');
  const params = new URL(args.request.url).searchParams;
  const requested = { from: params.get('from') ?? '', to: params.get('to') ?? '' };
  const range = usageRangeSchema.safeParse(requested);
  if (!range.success) {
    return data({ requested, rangeErrors: fieldErrorsOf(range.error), dashboard: null }, { status: 400 });
  }
  const dashboard = await getUsageDashboard({ tenantId: admin.tenantId, range: range.data });
  return { requested: { from: range.data.from, to: range.data.to }, rangeErrors: null, dashboard };
}

export default function UsagePage() {
  const { requested, rangeErrors, dashboard } = useLoaderData<typeof loader>();
  return (
    <div className="page usage-page">
      <div className="page-head">
        <h1>Usage &amp; cost</h1>
        <Form method="get" className="inline-form range-form">
          <label>
            From
            <input type="date" name="from" defaultValue={requested.from} aria-invalid={!!rangeErrors?.from || undefined} />
          </label>
          <label>
            To
            <input type="date" name="to" defaultValue={requested.to} aria-invalid={!!rangeErrors?.to || undefined} />
          </label>
          <button className="btn" type="submit">
            Show
          </button>
          {dashboard ? (
            <a className="btn" href={`/admin/usage.csv?from=${dashboard.range.from}&to=${dashboard.range.to}`} download>
              Export CSV
            </a>
          ) : null}
        </Form>
      </div>
      {rangeErrors ? (
        <div role="alert" className="alert alert-error">
          {Object.values(rangeErrors).map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      ) : null}
      {dashboard ? <Dashboard dashboard={dashboard} /> : null}
    </div>
  );
}

function Dashboard({ dashboard }: { dashboard: UsageDashboard }) {
  const { summary, budget } = dashboard;
  const modelSeries = dashboard.models.map((m) => ({ key: m.modelId, label: m.label }));
  const bars = (pick: 'cost' | 'tokens') => dashboard.daily.map((d) => ({ label: d.day, values: d[pick] }));
  return (
    <>
      <BudgetBanner budget={budget} />
      <dl className="stats">
        <Stat label="Cost" value={formatMoneyMicros(summary.costMicros)} note={summary.unpricedCalls > 0 ? `+ ${formatCount(summary.unpricedCalls)} unpriced calls` : undefined} />
        <Stat label="Tokens" value={formatTokens(summary.inputTokens + summary.outputTokens)} note={`${formatTokens(summary.inputTokens)} in · ${formatTokens(summary.outputTokens)} out`} />
        <Stat label="Model calls" value={formatCount(summary.calls)} note={summary.errorCalls > 0 ? `${formatCount(summary.errorCalls)} errors` : undefined} />
        <Stat
          label="Avg cost per conversation"
          value={summary.avgCostPerConversationMicros === null ? '—' : formatMoneyMicros(summary.avgCostPerConversationMicros)}
          note={`${formatCount(summary.conversations)} ${summary.conversations === 1 ? 'conversation' : 'conversations'}`}
        />
        <Stat label="Time to first token" value={summary.ttftP50 === null ? '—' : formatMs(summary.ttftP50)} note={summary.ttftP95 === null ? 'p50' : `p50 · p95 ${formatMs(summary.ttftP95)}`} />
        <Stat className={`stat-${budget.state}`} label={`Budget used (${budget.month})`} value={`${budget.percentUsed}%`} note={`${formatMoneyMicros(budget.spentMicros + budget.reservedMicros)} of ${formatMoneyMicros(budget.budgetMicros)}`} />
      </dl>
      <div className="chart-grid">
        <section className="card">
          <BarChart
            title="Cost per day, by model"
            data={bars('cost')}
            series={modelSeries}
            formatValue={formatMoneyMicros}
            formatLabel={formatShortDate}
            xLabel="Day"
            // Calls were made, but none cost anything (the offline coach and embedder are free): say so, not "no data".
            emptyText={summary.calls > 0 && summary.costMicros === 0 && summary.unpricedCalls === 0 ? `No cost in this range: all ${formatCount(summary.calls)} model calls were free.` : undefined}
          />
        </section>
        <section className="card">
          <BarChart title="Tokens per day, by model" data={bars('tokens')} series={modelSeries} formatValue={formatTokens} formatLabel={formatShortDate} xLabel="Day" />
        </section>
        <section className="card">
          <HorizontalBars
            title="Cost by model"
            labelHeading="Model"
            valueHeading="Cost"
            data={dashboard.models.map((m) => ({
              label: m.label,
              value: m.costMicros,
              valueText: m.priced === false ? 'unpriced' : m.priced === 'partly' ? `${formatMoneyMicros(m.costMicros)} + unpriced` : undefined,
            }))}
            formatValue={formatMoneyMicros}
          />
        </section>
        <section className="card">
          <HorizontalBars
            title="Cost by person"
            labelHeading="Member"
            valueHeading="Cost"
            data={dashboard.users.map((u) => ({
              label: u.email,
              value: u.costMicros,
              valueText: u.unpricedCalls === u.calls && u.calls > 0 ? 'unpriced' : undefined,
            }))}
            formatValue={formatMoneyMicros}
          />
        </section>
        <section className="card chart-wide">
          <LineChart
            title="Time to first token per day"
            data={dashboard.ttft.map((t) => ({ label: t.day, values: { p50: t.p50, p95: t.p95 } }))}
            series={[
              { key: 'p50', label: 'p50' },
              { key: 'p95', label: 'p95', dashed: true },
            ]}
            formatValue={formatMs}
            formatLabel={formatShortDate}
            xLabel="Day"
          />
        </section>
      </div>
      <section className="card">
        <h2>By model</h2>
        <ModelTable dashboard={dashboard} />
      </section>
    </>
  );
}

function BudgetBanner({ budget }: { budget: UsageDashboard['budget'] }) {
  if (budget.state === 'ok') return null;
  const reached = budget.state === 'reached';
  return (
    <div role="status" className={`alert ${reached ? 'alert-error' : 'alert-warn'}`} data-budget-state={budget.state}>
      <p>
        {reached
          ? `This month's budget is used up (${budget.percentUsed}%). ${budget.action === 'hard_stop' ? 'Coaching is stopped until the budget is raised.' : 'Managers are on the fallback model until the budget is raised.'}`
          : `This month's spend has passed the ${budget.alertPercent}% alert threshold (${budget.percentUsed}% used).`}{' '}
        <a href="/admin/settings">Change the budget</a>
      </p>
    </div>
  );
}

function Stat({ label, value, note, className }: { label: string; value: string; note?: string; className?: string }) {
  return (
    <div className={className}>
      <dt>{label}</dt>
      <dd>{value}</dd>
      {note ? <dd className="stat-note">{note}</dd> : null}
    </div>
  );
}

function ModelTable({ dashboard }: { dashboard: UsageDashboard }) {
  if (dashboard.models.length === 0) return <p className="empty">No model calls in this range.</p>;
  return (
    <div className="table-wrap">
    <table className="table model-table">
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col" className="num">Calls</th>
          <th scope="col" className="num">Input tokens</th>
          <th scope="col" className="num">Output tokens</th>
          <th scope="col" className="num">Cost</th>
        </tr>
      </thead>
      <tbody>
        {dashboard.models.map((m) => (
          <tr key={m.modelId}>
            <td>
              {m.label} <span className="muted mono small model-id">{m.modelId}</span>
            </td>
            <td className="num">{formatCount(m.calls)}</td>
            <td className="num">{formatTokens(m.inputTokens)}</td>
            <td className="num">{formatTokens(m.outputTokens)}</td>
            <td className="num">
              {m.priced === false ? (
                <span className="badge badge-warn">unpriced</span>
              ) : (
                <>
                  {formatMoneyMicros(m.costMicros)}
                  {m.priced === 'partly' ? <span className="badge badge-warn">+ {formatCount(m.unpricedCalls)} unpriced</span> : null}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
