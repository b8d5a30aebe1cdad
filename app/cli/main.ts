// `rapport <command>`: operator tasks. Commands are discovered from app/cli/commands/*.ts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DataDirError } from '~/.server/db/embedded';
import { EnvError } from '~/.server/env';
import { parseCommandArgs, UsageError, type CliIO, type Command } from './command';
import { withCliDatabase } from './database';

async function loadCommands(): Promise<Command[]> {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
  const all: Command[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { commands?: Command[] };
    all.push(...(mod.commands ?? []));
  }
  return all;
}

function help(commands: Command[]) {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'rapport — operator commands for Rapport',
    '',
    'Usage: rapport <command> [options]   (rapport <command> --help for details)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Database: DATABASE_URL if set; otherwise the embedded database in DATA_DIR (default ./data),',
    'joined through the running app when it is up.',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const commands = await loadCommands();
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout.write(help(commands) + '\n');
    return 0;
  }
  // Longest match of leading words, so "users list" wins over "users".
  const match = commands
    .filter((c) => {
      const words = c.name.split(' ');
      return words.every((w, i) => argv[i] === w);
    })
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!match) {
    io.stderr.write(`rapport: unknown command "${argv.slice(0, 2).join(' ')}"\n\n${help(commands)}\n`);
    return 2;
  }
  const rest = argv.slice(match.name.split(' ').length);
  try {
    const { values, positionals } = parseCommandArgs(match, rest);
    if (values.help) {
      io.stdout.write(`${match.summary}\n\nUsage: rapport ${match.usage}\n`);
      return 0;
    }
    const run = () => match.run({ values, positionals, io });
    const code = match.database === false ? await run() : await withCliDatabase(run);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`rapport ${match.name}: ${err.message}\nUsage: rapport ${match.usage}\n`);
      return 2;
    }
    if (err instanceof DataDirError || err instanceof EnvError) {
      io.stderr.write(`rapport: ${err.message}\n`);
      return 1;
    }
    io.stderr.write(`rapport ${match.name}: ${(err as Error).message}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] && /(rapport(\.mjs)?|main\.ts)$/.test(process.argv[1]);
if (invokedDirectly) {
  // `rapport users list | head` closes the pipe early; that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
  runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
    // Exit once stdout has drained, so piped JSON is never cut short.
    (code) => process.stdout.write('', () => process.exit(code)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
