// Cohen's kappa per rubric criterion: between two reviewers, and between the judge model and reviewers.
import { CRITERION_LABELS, describeKappa, RUBRIC_CRITERIA, type KappaResult, type RubricCriterion } from '~/lib/kappa';

type Agreement = Record<RubricCriterion, KappaResult>;

const fmt = (r: KappaResult) => (r.kappa === null ? '—' : r.kappa.toFixed(2));
const pct = (r: KappaResult) => (r.agreement === null ? '—' : `${Math.round(r.agreement * 100)}%`);

export function AgreementTable({ reviewers, judge }: { reviewers: Agreement; judge: Agreement }) {
  return (
    <div className="table-wrap">
      <table className="table kappa-table">
        <caption className="visually-hidden">Agreement per criterion (Cohen's kappa)</caption>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            <th scope="col">Reviewer vs reviewer κ</th>
            <th scope="col">Items</th>
            <th scope="col">Judge vs reviewer κ</th>
            <th scope="col">Items</th>
          </tr>
        </thead>
        <tbody>
          {RUBRIC_CRITERIA.map((c) => (
            <tr key={c}>
              <th scope="row">{CRITERION_LABELS[c]}</th>
              <td title={`${pct(reviewers[c])} identical scores`}>
                {fmt(reviewers[c])} <span className="small muted">{describeKappa(reviewers[c].kappa)}</span>
              </td>
              <td>{reviewers[c].pairs}</td>
              <td title={`${pct(judge[c])} identical scores`}>
                {fmt(judge[c])} <span className="small muted">{describeKappa(judge[c].kappa)}</span>
              </td>
              <td>{judge[c].pairs}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
