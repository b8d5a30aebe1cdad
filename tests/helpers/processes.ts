// Helpers for tests that run the server (or another Node program) as a child process on loopback.
import { spawn, type ChildProcess } from 'node:child_process';

/** Polls `probe` every `everyMs` until it returns a truthy value; throws after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A Node child process with its stdout and stderr collected, for assertions and failure messages. */
export function start(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, args, { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, output: () => output };
}

/** SIGTERM, resolved once the process has exited (at once if it already has). */
export function stop(child: ChildProcess | undefined) {
  return new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** This process's environment without vitest's variables and the database settings a child must get explicitly. */
export const cleanEnv = () =>
  Object.fromEntries<string | undefined>(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !['NODE_ENV', 'RAPPORT_DATABASE_URL', 'DATABASE_URL', 'RAPPORT_OWNS_EMBEDDED_DB'].includes(k)));
