// Before the model is called, a chat turn on the usual path (a published pack, the offline query embedder, no
// grounding model) sends ONE message to the database after storing the user's message: the pack search, the budget
// hold and the answer's empty 'streaming' row, as one implicit transaction (db/round-trip.ts). They used to be three
// round trips — the hold, the search, and the first checkpoint write at the first token — each an event-loop
// wake-up and a socket write and read, which on this kind of machine cost more CPU than the statements' own work
// (docs/decisions/047).
// Order matters: the hold locks the tenant row until commit, so it comes after the search (the tenant's other turns
// wait for the hold, not for a search), and the answer's row after the hold (its foreign keys take a share lock on
// rows the hold locks for update; taken the other way round, two turns could deadlock).
// Budgets are still decided before any model call: the search calls none (its embedder is the offline one), and a
// refused turn's search is simply not used. If the message fails as a whole, the turn falls back to the separate
// steps, so a failed search still means "no passages" and a failed hold still fails the turn.
import { tenantRoundTripResults } from '~/.server/db/round-trip';
import type { BudgetHold, PreparedBudgetHold } from '~/.server/metering/entitlements';
import { whileQueryRuns, type PreparedSearch } from '~/.server/culture/retrieve';
import { cpuMark } from '~/.server/cpu-marks';

export interface HeldAndSearched {
  hold: BudgetHold;
  search: ReturnType<PreparedSearch['read']>;
  /** When the answer's placeholder row was sent (Date.now(); AnswerCheckpoint's placeholderAt). */
  placeholderAt: number;
}

/**
 * The vector-search settings are transaction-local; the hold's own statements get enable_sort back as it was before the
 * search (the session's value: the server's default, as a pool connection never sets it). Kept in a transaction-local
 * setting of our own rather than read back from pg_settings, which builds a row for every one of the server's ≈ 350
 * settings: ≈ 1.1 ms of a turn's CPU on the embedded database, where the database runs in the web process (ADR 054).
 */
const KEEP_SORT_SETTING = `select set_config('rapport.enable_sort_before_search', current_setting('enable_sort'), true)`;
const RESET_SEARCH_SETTINGS = `select set_config('enable_sort', current_setting('rapport.enable_sort_before_search'), true)`;

export async function holdAndSearch(input: { tenantId: string; search: PreparedSearch; hold: PreparedBudgetHold; placeholder: string }): Promise<HeldAndSearched> {
  const statements = [KEEP_SORT_SETTING, ...input.search.statements, RESET_SEARCH_SETTINGS, input.hold.statement, `${input.placeholder} returning id`];
  const searchAt = input.search.statements.length;
  const holdAt = searchAt + 2;
  const sentAt = Date.now();
  // The question's nouns are tagged while the database searches (retrieve.ts).
  cpuMark('round-trip-built');
  const [results, analysis] = await whileQueryRuns(tenantRoundTripResults(input.tenantId, statements), input.search.analyse);
  cpuMark('db-replied');
  const [holdRow] = results[holdAt] as BudgetHold[];
  if (!holdRow) throw new Error('budget_hold returned no row');
  return { hold: holdRow, search: input.search.read((results[searchAt] as never[])[0], analysis), placeholderAt: sentAt };
}
