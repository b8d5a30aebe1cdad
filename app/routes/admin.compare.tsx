// Compare models (tenant_admin): run the tenant's evaluation set against chosen chat models and the offline
// coach, see pass rate, judge score, cost per 1,000 turns and TTFT side by side — ranked "good enough at the
// lowest cost" — and the trend of past runs. Shows case ids and check results only, never text.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams } from '@remix-run/react';
import { useEffect } from 'react';
import { requireRole } from '~/.server/auth/guards';
import { loadComparePage, startComparisonFromForm } from '~/.server/evaluation/compare-page';
import { LineChart } from '~/components/charts';
import { DEFAULT_MARGIN_POINTS } from '~/lib/model-comparison';
import adminStyles from '~/styles/admin.css?url';

export const meta: MetaFunction = () => [{ title: 'Compare models · Rapport' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: adminStyles }];

export async function loader(args: LoaderFunctionArgs) {
  const admin = requireRole(args, 'tenant_admin');
  return loadComparePage({ tenantId: admin.tenantId, url: new URL(args.request.url) });
}

export async function action(args: ActionFunctionArgs) {
  const admin = requireRole(args, 'tenant_admin');
  const outcome = await startComparisonFromForm({ tenantId: admin.tenantId, actor: { userId: admin.id, label: admin.email }, request: args.request });
  if (!outcome.ok) return data(outcome, { status: 400 });
  return redirect(`/admin/compare?comparison=${outcome.comparisonId}&margin=${outcome.margin}`);
}

const percent = (rate: number) => `${(rate * 100).toFixed(rate === 1 || rate === 0 ? 0 : 1)}%`;
const money = (usd: number) => (usd === 0 ? '$0' : usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`);
const ms = (v: number | null) => (v === null ? '—' : `${v.toLocaleString()} ms`);

export default function ComparePage() {
  const page = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const [params] = useSearchParams();
  const starting = navigation.state !== 'idle' && navigation.formMethod === 'POST';
  useEffect(() => {
    if (!page.latest?.inProgress) return;
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate();
    }, 1500);
    return () => clearInterval(timer);
  }, [page.latest?.inProgress, revalidator]);
  const label = (id: string) => page.labels[id] ?? id;

  return (
    <div className="page compare-page">
      <div className="page-head">
        <h1>Compare models</h1>
      </div>
      <p className="muted">
        Runs your evaluation set ({page.caseCount} {page.caseCount === 1 ? 'case' : 'cases'}) through the coach with each model, checked case by case
        {page.judgeModel ? <> and scored by the judge model ({label(page.judgeModel)})</> : <> (no judge model is configured, so there is no judge score)</>}.
        Cost and time to first token come from the metered calls.
      </p>

      <section className="card compare-run" aria-labelledby="run-heading">
        <h2 id="run-heading">Run a comparison</h2>
        {page.caseCount === 0 ? (
          <p>There are no evaluation cases yet. Reviewers turn shared exchanges into cases; the operator can import scenarios (<code>rapport review import</code>).</p>
        ) : (
          <Form method="post" className="compare-form">
            <fieldset>
              <legend>Models</legend>
              {page.models.map((m) => (
                <label key={m.id} className="check">
                  <input type="checkbox" name="models" value={m.id} defaultChecked />
                  {m.label} <span className="muted">({m.id})</span>
                </label>
              ))}
            </fieldset>
            <label className="margin-field">
              Good enough within
              <input type="number" name="margin" min={0} max={50} step={1} defaultValue={page.margin} aria-describedby="margin-help" />
              points of the best pass rate
            </label>
            <p id="margin-help" className="muted">
              The cheapest model within this margin is highlighted.
            </p>
            {failure && !failure.ok ? (
              <p role="alert" className="alert alert-error">
                {failure.formError}
              </p>
            ) : null}
            <button className="btn btn-primary" type="submit" disabled={starting || page.latest?.inProgress}>
              {starting ? 'Starting…' : page.latest?.inProgress ? 'A comparison is running…' : 'Run comparison'}
            </button>
          </Form>
        )}
      </section>

      {page.latest ? (
        <section className="card" aria-labelledby="result-heading">
          <h2 id="result-heading">
            {page.latest.inProgress ? 'Comparison in progress' : 'Latest comparison'} <span className="muted">· {new Date(page.latest.startedAt).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC</span>
          </h2>
          {page.latest.sentence && !page.latest.inProgress ? <p className="compare-verdict">{page.latest.sentence}</p> : null}
          <div className="table-wrap">
            <table className="table compare-table">
              <thead>
                <tr>
                  <th scope="col">Rank</th>
                  <th scope="col">Model</th>
                  <th scope="col">Pass rate</th>
                  <th scope="col">Judge (0–10)</th>
                  <th scope="col">Cost / 1,000 turns</th>
                  <th scope="col">TTFT p50</th>
                  <th scope="col">TTFT p95</th>
                </tr>
              </thead>
              <tbody>
                {page.latest.rows.map((row) => (
                  <tr key={row.runId} className={row.recommended ? 'recommended' : undefined}>
                    <td>{row.status === 'done' ? row.rank : '—'}</td>
                    <th scope="row">
                      {label(row.model)}
                      {row.recommended ? <span className="badge">Good enough, lowest cost</span> : row.goodEnough && row.status === 'done' ? <span className="badge badge-muted">Good enough</span> : null}
                      {row.status !== 'done' ? <span className="badge badge-warn">{row.status === 'failed' ? `failed: ${row.error ?? ''}` : row.status}</span> : null}
                    </th>
                    <td>{row.status === 'done' ? `${percent(row.passRate)} (${row.passed}/${row.cases})` : '—'}</td>
                    <td>{row.judgeMean === null ? '—' : row.judgeMean.toFixed(1)}</td>
                    <td>{row.status === 'done' ? money(row.costPer1000TurnsUsd) : '—'}</td>
                    <td>{ms(row.ttftP50Ms)}</td>
                    <td>{ms(row.ttftP95Ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.latest.criteria.length > 0 ? (
            <details>
              <summary>Judge score per criterion (0–2)</summary>
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Model</th>
                      {page.criteria.map((c) => (
                        <th scope="col" key={c}>
                          {c.replace(/_/g, ' ')}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {page.latest.criteria.map((row) => (
                      <tr key={row.model}>
                        <th scope="row">{label(row.model)}</th>
                        {page.criteria.map((c) => (
                          <td key={c}>{row.scores[c]?.toFixed(2) ?? '—'}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          ) : null}
          {page.latest.cases.length > 0 ? (
            <details>
              <summary>Case by case</summary>
              <div className="table-wrap">
                <table className="table compare-cases">
                  <thead>
                    <tr>
                      <th scope="col">Case</th>
                      {page.latest.rows.map((r) => (
                        <th scope="col" key={r.runId}>
                          {label(r.model)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {page.latest.cases.map((c) => (
                      <tr key={c.caseKey}>
                        <th scope="row">{c.caseKey}</th>
                        {c.outcomes.map((o, i) => (
                          <td key={i} title={o?.failures.join('; ') || undefined}>
                            {o ? (o.pass ? 'pass' : `fail — ${o.failures.join('; ')}`) : '—'}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          ) : null}
        </section>
      ) : null}

      <section className="card" aria-labelledby="trend-heading">
        <h2 id="trend-heading">Pass rate over time</h2>
        <p className="muted">Each point is one run, labelled with the culture pack and persona versions it ran on, so a change that makes answers worse shows up here.</p>
        <LineChart
          title="Pass rate by run and version"
          data={page.trend.points}
          series={page.trend.series.map((s, i) => ({ key: s, label: label(s), dashed: i % 2 === 1 }))}
          formatValue={(v) => `${Math.round(v)}%`}
          xLabel="Run (pack · persona)"
          yLabel="Pass rate"
        />
        {params.get('comparison') || page.trend.points.length === 0 ? null : (
          <p className="muted">
            <Link to="/admin/audit">Who ran each comparison is in the audit log.</Link>
          </p>
        )}
      </section>
      <p className="muted">Margin in use: {page.margin} points (default {DEFAULT_MARGIN_POINTS}).</p>
    </div>
  );
}
