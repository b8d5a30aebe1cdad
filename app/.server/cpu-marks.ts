// Named points of a chat turn where `npm run bench -- chat --marks` reads process.cpuUsage(), so the bench can print
// the CPU of each stage before the first token without a CPU profiler: the V8 sampling profiler charges its own
// sampling to the process, per millisecond of wall time, and inflates per-token CPU about tenfold (ADR 054).
// The hook is installed only by the bench's probe (app/cli/bench/cpu-probe.mjs); anywhere else this is a no-op.
type MarkHook = (label: string) => void;

export function cpuMark(label: string): void {
  (globalThis as { __cpuMark?: MarkHook }).__cpuMark?.(label);
}
