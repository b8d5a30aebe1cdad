// Starts and supervises the ingestion job process (server/ingestion-worker.ts, ADR 038): one per
// server, whatever WEB_CONCURRENCY is, started once the first web process has migrated the
// database. A job process that dies is started again (its jobs' leases run out and are resumed);
// stop() asks it to give back its jobs and waits for it.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Compiled into build/web-server.mjs (scripts/build-server.mjs), this module forks the compiled job
// process (build/ingestion-worker.mjs) with plain node, as production runs the web server: the tsx
// loader cost the job process about 35 MB of memory and its start (docs/decisions/041). Run from
// source (tests, `npm run dev`), it forks server/ingestion-worker.ts through tsx.
const here = path.dirname(fileURLToPath(import.meta.url));
const compiled = path.basename(here) === 'build';
const ENTRY = path.join(here, compiled ? 'ingestion-worker.mjs' : 'ingestion-worker.ts');
const EXEC_ARGV = compiled ? [] : ['--import', 'tsx'];

export interface IngestionProcess {
  /** There are new jobs: look now rather than at the next poll. */
  kick(): void;
  stop(): Promise<void>;
  readonly pid: number | undefined;
}

export function startIngestionProcess(opts: { databaseUrl: string; log?: (line: string) => void }): IngestionProcess {
  const log = opts.log ?? ((line: string) => console.error(line));
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;

  const start = () => {
    const started = Date.now();
    const c = fork(ENTRY, [], {
      execArgv: EXEC_ARGV,
      env: { ...process.env, RAPPORT_DATABASE_URL: opts.databaseUrl },
      stdio: 'inherit',
    });
    child = c;
    c.on('exit', (code, signal) => {
      if (child === c) child = undefined;
      if (stopping) return;
      // Back off when it dies at once (a broken install), up to 30 s between starts.
      restarts = Date.now() - started > 60_000 ? 0 : restarts + 1;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(restarts, 6));
      log(`The ingestion job process exited (${signal ?? `code ${code}`}); starting it again in ${delay} ms.`);
      restartTimer = setTimeout(() => !stopping && start(), delay);
      restartTimer.unref();
    });
  };
  start();

  return {
    get pid() {
      return child?.pid;
    },
    kick() {
      if (child?.connected) child.send({ type: 'rapport-ingest-queued' }, () => {});
    },
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => c.kill('SIGKILL'), 9000);
        c.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        c.kill('SIGTERM');
      });
    },
  };
}
