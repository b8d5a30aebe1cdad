import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';
import { coverageGapsByWeek, K_ANONYMITY } from '~/.server/coach/coverage-gaps';
import { formatShortDate } from '~/lib/format';
import gapStyles from '~/styles/coverage-gaps.css?url';

export const meta: MetaFunction = () => [{ title: 'Questions the pack did not cover · Rapport' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: gapStyles }];

const WEEKS = 12;

// Topic labels and counts only, already filtered to k ≥ 5 people in the database: no message text,
// no person, no conversation ever reaches this page.
export async function loader(args: LoaderFunctionArgs) {
  const hr = requireRole(args, 'hr_admin');
  const rows = await coverageGapsByWeek({ tenantId: hr.tenantId, weeks: WEEKS });
  const weeks = new Map<string, typeof rows>();
  for (const row of rows) weeks.set(row.week, [...(weeks.get(row.week) ?? []), row]);
  const topics = new Map<string, { topic: string; weeks: number; questions: number }>();
  for (const row of rows) {
    const t = topics.get(row.topic) ?? { topic: row.topic, weeks: 0, questions: 0 };
    topics.set(row.topic, { ...t, weeks: t.weeks + 1, questions: t.questions + row.questions });
  }
  return {
    weeks: WEEKS,
    minPeople: K_ANONYMITY,
    byWeek: [...weeks.entries()].map(([week, topicRows]) => ({ week, topics: topicRows.map(({ topic, people, questions }) => ({ topic, people, questions })) })),
    topics: [...topics.values()].sort((a, b) => b.questions - a.questions || a.topic.localeCompare(b.topic)),
  };
}

export default function CoverageGapsPage() {
  const { weeks, minPeople, byWeek, topics } = useLoaderData<typeof loader>();
  return (
    <div className="page gaps-page">
      <div>
        <h1>Questions the pack did not cover</h1>
        <p className="lead">
          When a manager asks something your culture pack has no guidance on, the coach says so and points them to HR. Here you see which topics
          those questions were about, so you can write the missing policy.
        </p>
      </div>
      <dl className="stats" data-testid="gap-stats">
        <div>
          <dt>Topics shown, last {weeks} weeks</dt>
          <dd>{topics.length}</dd>
        </div>
        <div>
          <dt>Weeks with a gap shown</dt>
          <dd>{byWeek.length}</dd>
        </div>
      </dl>
      <section className="card" aria-labelledby="gap-topics-title">
        <h2 id="gap-topics-title">Topics by week</h2>
        <p className="hint">
          Each topic is a short label the coach chose from a fixed list; the questions themselves are never stored or shown. A topic appears for a
          week only when at least {minPeople} different people asked about it that week, so nobody can be singled out. Weeks start on Monday (UTC).
        </p>
        {byWeek.length === 0 ? (
          <p className="empty" data-testid="gap-empty">
            No topic reached {minPeople} different people in a week in the last {weeks} weeks.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="table gaps-table" data-testid="gap-table">
              <caption className="visually-hidden">Topics the culture pack did not cover, by week</caption>
              <thead>
                <tr>
                  <th scope="col">Week of</th>
                  <th scope="col">Topic</th>
                  <th scope="col" className="num">
                    People
                  </th>
                  <th scope="col" className="num">
                    Questions
                  </th>
                </tr>
              </thead>
              <tbody>
                {byWeek.flatMap(({ week, topics: rows }) =>
                  rows.map((row, i) => (
                    <tr key={`${week}:${row.topic}`} className={i === 0 ? 'week-start' : undefined}>
                      {i === 0 ? (
                        <th scope="rowgroup" rowSpan={rows.length}>
                          {formatShortDate(week)}
                        </th>
                      ) : null}
                      <td>{row.topic}</td>
                      <td className="num">{row.people}</td>
                      <td className="num">{row.questions}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {topics.length > 0 ? (
        <section className="card" aria-labelledby="gap-next-title">
          <h2 id="gap-next-title">What to write next</h2>
          <ul className="gap-topics">
            {topics.map((t) => (
              <li key={t.topic}>
                <strong>{t.topic}</strong>
                <span className="muted">
                  {' '}
                  — {t.questions} question{t.questions === 1 ? '' : 's'} in {t.weeks} week{t.weeks === 1 ? '' : 's'}
                </span>
              </li>
            ))}
          </ul>
          <p className="hint">
            Add a policy document for a topic on the <Link to="/hr/pack/upload">culture pack</Link> page; once it is published, the coach answers from it.
          </p>
        </section>
      ) : null}
    </div>
  );
}
