// Token estimate used where no provider count exists (offline models, context budgeting).
// About four characters per token for English; cheap and deterministic, unlike loading BPE ranks.
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}
