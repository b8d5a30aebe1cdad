// Weekly safety event counts for HR: numbers only — a stacked bar chart by category and a table.
import { BarChart } from '~/components/charts';
import { formatShortDate } from '~/lib/format';
import { formatShownCount, type ShownWeeklySafety } from './weekly-counts';

// Counts are whole numbers: a half-step gridline keeps its line but gets no label.
const formatCount = (value: number) => (Number.isInteger(value) ? String(value) : '');

export function SafetyCounts({ weekly, weeks }: { weekly: ShownWeeklySafety; weeks: number }) {
  const active = weekly.weeks.filter((w) => w.active).reverse();
  const hasEvents = active.length > 0;
  // Only counts HR may see are drawn; a hidden cell (1–4) is no bar, and the table says so.
  const drawn = weekly.weeks.map((w) => ({
    label: w.week,
    values: Object.fromEntries(Object.entries(w.byCategory).filter((e): e is [string, number] => e[1] !== null)),
  }));
  const anyDrawn = drawn.some((d) => Object.values(d.values).some((v) => v > 0));
  return (
    <section className="card safety-counts" aria-labelledby="safety-counts-title">
      <h2 id="safety-counts-title">Safety events by week</h2>
      <p className="hint">
        Each time the coach noticed distress (concern) or a possible emergency (crisis), it recorded the level and category — never what was said.
        A message can fall into more than one category. Last {weeks} weeks, weeks start on Monday (UTC). So that nobody can be singled out,
        counts under {weekly.minCount} are shown as "fewer than {weekly.minCount}" and not drawn.
      </p>
      <BarChart
        title="Events by category per week"
        data={anyDrawn ? drawn : []}
        series={weekly.categories}
        formatLabel={formatShortDate}
        formatValue={formatCount}
        xLabel="Week of"
        yLabel="Events"
        emptyText={hasEvents ? `Every weekly count is under ${weekly.minCount}: see the table.` : `No safety events in the last ${weeks} weeks.`}
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
                  <td className="num">{formatShownCount(w.crisis)}</td>
                  <td className="num">{formatShownCount(w.concern)}</td>
                  {/* A hidden cell (1–4) is null, not absent: it reads "fewer than 5", never 0. */}
                  {weekly.categories.map((c, i) => (
                    <td key={c.key} className={i === 0 ? 'num group-start' : 'num'}>
                      {formatShownCount(c.key in w.byCategory ? w.byCategory[c.key] : 0)}
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
