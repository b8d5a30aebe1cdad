// /review — the queue of shared, anonymized exchanges, with how far reviewers (and the judge) agree.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';
import { agreementSummary, listReviewQueue } from '~/.server/review/queue';
import { AgreementTable } from '~/components/review/AgreementTable';

export const meta: MetaFunction = () => [{ title: 'Review queue · Rapport' }];

export async function loader(args: LoaderFunctionArgs) {
  const reviewer = requireRole(args, 'reviewer');
  const [queue, agreement] = await Promise.all([
    listReviewQueue({ tenantId: reviewer.tenantId, reviewerId: reviewer.id }),
    agreementSummary({ tenantId: reviewer.tenantId }),
  ]);
  return { queue: queue.map((q) => ({ ...q, createdAt: q.createdAt.toISOString() })), agreement };
}

export default function ReviewQueue() {
  const { queue, agreement } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Review queue</h1>
      <p className="lead">
        Exchanges managers chose to share, anonymized before they were stored. You never see who shared them or anything
        they did not share. Score each with the rubric; two reviewers on an item give the agreement below.
      </p>
      {queue.length === 0 ? (
        <p className="empty">Nothing has been shared yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Shared</th>
                <th scope="col">Message</th>
                <th scope="col">Reviews</th>
                <th scope="col">Judge</th>
              </tr>
            </thead>
            <tbody>
              {queue.map((q) => (
                <tr key={q.id}>
                  <td className="small">{new Date(q.createdAt).toLocaleDateString()}</td>
                  <td>
                    <Link to={`/review/${q.id}`}>{q.excerpt || '(empty)'}</Link>
                  </td>
                  <td>
                    {q.annotations}
                    {q.mine ? <span className="pill">yours</span> : null}
                  </td>
                  <td>{q.judgeOverall === null ? '—' : `${q.judgeOverall}/10`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="card">
        <h2>Agreement</h2>
        <p className="small muted">
          Cohen's kappa per criterion: 1 is perfect agreement, 0 is what chance gives. Reviewer pairs are the first two reviews of
          each item; the judge is compared with the first review.
        </p>
        <AgreementTable reviewers={agreement.reviewers} judge={agreement.judge} />
      </section>
    </div>
  );
}
