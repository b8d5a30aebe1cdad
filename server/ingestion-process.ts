// Starts and supervises the ingestion job process (server/ingestion-worker.ts, ADR 038): one per
// server, whatever WEB_CONCURRENCY is, started once the first web process has migrated the
// database. A job process that dies is started again (its jobs' leases run out and are resumed);
// stop() asks it to give back its jobs and waits for it.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// This module also runs compiled into build/web-server.mjs (scripts/build-server.mjs): the job process's entry stays the TypeScript file in server/.
const here = path.dirname(fileURLToPath(import.meta.url));
const ENTRY = path.join(path.basename(here) === 'build' ? path.join(here, '..', 'server') : here, 'ingestion-worker.ts');

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
      execArgv: ['--import', 'tsx'],
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
