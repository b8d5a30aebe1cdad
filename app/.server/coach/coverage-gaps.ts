// What the culture pack is missing, for HR, without anyone's words: when the pack does not cover a
// manager's question, the turn records a TOPIC LABEL from a fixed list (never the question's text),
// the week, and a per-tenant pseudonym of the person (so distinct people can be counted, not named).
// HR sees a topic only in a week where at least K_ANONYMITY different people asked about it.
// Zero-retention tenants store nothing (run-turn.ts only records when message text is kept).
import { createHash } from 'node:crypto';
import { literal, uuidLiteral } from '~/.server/db/round-trip';
import { withTenant } from '~/.server/db/tenant';

/** A topic is shown only when at least this many different people asked about it in a week. */
export const K_ANONYMITY = 5;

/**
 * Topics frontline policy packs often leave out, each with the words that name it. Labels are
 * fixed text chosen here: nothing the person typed ever reaches the table or the page.
 */
const TOPICS: Array<[label: string, pattern: RegExp]> = [
  ['Children or family members at work', /\b(toddler|kids?|child(?:ren)?|baby|son|daughter|school (?:student|leaver|project)|work experience|shadow)\b/],
  ['Pets at work', /\b(dogs?|cats?|pets?)\b/],
  ['Pay rises and pay reviews', /\b(raise|pay (?:rise|review|increase)|increases?|salary|salaries|pay bands?|christmas bonus|bonus)\b/],
  ['Pensions and retirement', /\b(pension\w*|401k|401\(k\)|retirement)\b/],
  ['Insurance and health benefits', /\b(insurance|dental|health plan|medical cover|flu jab|gym|eye tests?|braces)\b/],
  ['Training, courses and tuition', /\b(tuition|degree|college|course|classes|lessons|licen[cs]e upgrade|qualification)\b/],
  ['Transfers, relocation and internal jobs', /\b(transfer\w*|relocat\w*|vacanc\w*|internal(?:ly)?|apply for|another site|other site|across town)\b/],
  ['Expenses, mileage and reimbursement', /\b(expens\w*|mileage|reimburs\w*|claim (?:it )?back|company card|subsistence|fines?)\b/],
  ['Parking and travel to work', /\b(park|parking|car park|bike|cycle|commut\w*)\b/],
  ['Equipment, IT and facilities', /\b(equipment|laptop|desk|heating|door|barrier|vending|locker|fob|keys?|alarm|wifi|wi-fi|pin|login|system is down|machines?|meeting room|training room)\b/],
  ['Relatives and relationships at work', /\b(dating|relationship|nephew|niece|brother-in-law|sister-in-law|cousin|family member)\b/],
  ['Second jobs', /\b(second job|another job|other job|side job|weekend shifts in)\b/],
  ['Discounts, perks and share schemes', /\b(discount|perks?|share scheme|stock purchase|phone plan)\b/],
  ['Events, charity and fundraising', /\b(party|charity|fundrais\w*|bake sale|car wash|donat\w*|volunteer\w*)\b/],
  ['Recruitment and referrals', /\b(referr?al|refer a friend|hire|hiring|recruit\w*)\b/],
  ['Visas and work permits', /\b(visas?|work permits?|sponsor\w*)\b/],
  ['Payroll, tax and payslips', /\b(payslip|tax|w-2|direct deposit|payroll|bank account)\b/],
  ['Leaving, notice and references', /\b(resign\w*|notice period|reference|sabbatical|leaves? us)\b/],
  ['Unions and collective representation', /\b(unions?|collective)\b/],
];

export const OTHER_TOPIC = 'Other topics';

/** The topic label of a not-covered question: one of the fixed labels, never its words. */
export function coverageTopicOf(question: string): string {
  const lower = question.toLowerCase();
  return TOPICS.find(([, pattern]) => pattern.test(lower))?.[0] ?? OTHER_TOPIC;
}

export const COVERAGE_TOPICS = [...TOPICS.map(([label]) => label), OTHER_TOPIC];

/** A stable pseudonym of a person within a tenant, for counting distinct people (not a user id). */
export function personPseudonym(tenantId: string, userId: string): string {
  return createHash('sha256').update(`coverage-gap:${tenantId}:${userId}`).digest('hex').slice(0, 32);
}

export interface CoverageGap {
  tenantId: string;
  topic: string;
  person: string;
}

export function coverageGapFor(opts: { tenantId: string; userId: string; question: string }): CoverageGap {
  return { tenantId: opts.tenantId, topic: coverageTopicOf(opts.question), person: personPseudonym(opts.tenantId, opts.userId) };
}

/** The insert of one gap, for the answer's round trip (turn-store.ts). */
export function coverageGapStatement(gap: CoverageGap): string {
  return `insert into coverage_gap (tenant_id, week, topic, person)
    values (${uuidLiteral(gap.tenantId)}, date_trunc('week', now())::date, ${literal(gap.topic)}, ${literal(gap.person)})`;
}

export interface CoverageGapRow {
  week: string;
  topic: string;
  people: number;
  questions: number;
}

/**
 * Weekly topics for HR: only (week, topic) cells where at least K_ANONYMITY different people asked.
 * The HAVING clause is the k-anonymity rule, applied in the database: smaller groups never leave it.
 */
export async function coverageGapsByWeek({ tenantId, weeks }: { tenantId: string; weeks: number }): Promise<CoverageGapRow[]> {
  return withTenant(tenantId, (tx) => tx<CoverageGapRow[]>`
    select to_char(week, 'YYYY-MM-DD') as week, topic, count(distinct person)::int as people, count(*)::int as questions
    from coverage_gap
    where tenant_id = ${tenantId} and week >= date_trunc('week', now())::date - ${weeks * 7 - 7}::int
    group by week, topic
    having count(distinct person) >= ${K_ANONYMITY}
    order by week desc, people desc, topic`);
}
