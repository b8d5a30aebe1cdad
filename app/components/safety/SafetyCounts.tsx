// Weekly safety event counts for HR: numbers only — a stacked bar chart by category and a table.
import { BarChart } from '~/components/charts';
import { formatShortDate } from '~/lib/format';
import type { WeeklySafety } from './weekly-counts';

// Counts are whole numbers: a half-step gridline keeps its line but gets no label.
const formatCount = (value: number) => (Number.isInteger(value) ? String(value) : '');

export function SafetyCounts({ weekly, weeks }: { weekly: WeeklySafety; weeks: number }) {
  const active = weekly.weeks.filter((w) => w.crisis + w.concern > 0).reverse();
  const hasEvents = active.length > 0;
  return (
    <section className="card safety-counts" aria-labelledby="safety-counts-title">
      <h2 id="safety-counts-title">Safety events by week</h2>
      <p className="hint">
        Each time the coach noticed distress (concern) or a possible emergency (crisis), it recorded the level and category — never what was said.
        A message can fall into more than one category. Last {weeks} weeks, weeks start on Monday (UTC).
      </p>
      <BarChart
        title="Events by category per week"
        data={hasEvents ? weekly.weeks.map((w) => ({ label: w.week, values: w.byCategory })) : []}
        series={weekly.categories}
        formatLabel={formatShortDate}
        formatValue={formatCount}
        xLabel="Week of"
        yLabel="Events"
        emptyText={`No safety events in the last ${weeks} weeks.`}
      />
      {hasEvents ? (
        <div className="table-scroll">
          <table className="table safety-table" data-testid="safety-counts-table">
            <caption className="visually-hidden">Safety events per week by level and category</caption>
            <thead>
              <tr>
                <th scope="col">Week of</th>
                <th scope="col" className="num">
                  Crisis
                </th>
                <th scope="col" className="num">
                  Concern
                </th>
                {weekly.categories.map((c, i) => (
                  <th key={c.key} scope="col" className={i === 0 ? 'num group-start' : 'num'}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {active.map((w) => (
                <tr key={w.week}>
                  <th scope="row">{formatShortDate(w.week)}</th>
                  <td className="num">{w.crisis}</td>
                  <td className="num">{w.concern}</td>
                  {weekly.categories.map((c, i) => (
                    <td key={c.key} className={i === 0 ? 'num group-start' : 'num'}>
                      {w.byCategory[c.key] ?? 0}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
