// Periodic background work of the web process (e.g. retention). Each job runs once at start
// and then on its interval; a failing run is logged and retried on the next tick.
export type Job = { name: string; everyMs: number; run: () => Promise<string | void> };

const jobs: Job[] = [];
const timers: NodeJS.Timeout[] = [];

export function registerJob(job: Job) {
  jobs.push(job);
}

export function startBackgroundJobs(log: (line: string) => void) {
  for (const job of jobs) {
    const tick = async () => {
      try {
        const summary = await job.run();
        if (summary) log(`[job ${job.name}] ${summary}`);
      } catch (err) {
        log(`[job ${job.name}] failed: ${(err as Error).message}`);
      }
    };
    void tick();
    const t = setInterval(tick, job.everyMs);
    t.unref();
    timers.push(t);
  }
}

export function stopBackgroundJobs() {
  for (const t of timers.splice(0)) clearInterval(t);
}
