// The shape of a `rapport` sub-command. Each file in app/cli/commands/ exports `commands`.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type CliIO = {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
};

export type Command = {
  /** Words that select it, e.g. "users list". */
  name: string;
  summary: string;
  usage: string;
  options?: ParseArgsConfig['options'];
  /** Commands that need no database (e.g. classifiers) set this to false. */
  database?: boolean;
  run(ctx: { values: Record<string, string | boolean | undefined>; positionals: string[]; io: CliIO }): Promise<number | void>;
};

/** A mistake in how the command was called: printed with its usage, exit code 2. */
export class UsageError extends Error {}

export function parseCommandArgs(cmd: Command, argv: string[]) {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function requireString(values: Record<string, unknown>, key: string): string {
  const v = values[key];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${key} is required`);
  return v.trim();
}

export function printJson(io: CliIO, value: unknown) {
  io.stdout.write(JSON.stringify(value) + '\n');
}
