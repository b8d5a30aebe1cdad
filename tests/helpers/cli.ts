// Runs `rapport …` in-process against the test database and captures what it prints.
import { PassThrough } from 'node:stream';
import { runCli } from '~/cli/main';
import { resetEnvForTests } from '~/.server/env';

export async function rapport(argv: string[], opts: { databaseUrl: string; stdin?: string }) {
  process.env.DATABASE_URL = opts.databaseUrl;
  resetEnvForTests();
  const stdin = new PassThrough();
  stdin.end(opts.stdin ?? '');
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runCli(argv, { stdin, stdout, stderr });
  return { code, stdout: out, stderr: err };
}
