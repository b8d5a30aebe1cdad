// `rapport safety classify`: the classifier's contract with the outside world (evaluation harnesses).
// No database: it reads JSON lines on stdin and writes one verdict line per input, in order.
import { runSafetyClassify } from '~/.server/safety/cli-classify';
import type { Command } from '../command';

export const commands: Command[] = [
  {
    name: 'safety classify',
    summary: 'Classify JSON lines {"id","text"} from stdin: one {"id","level","categories"} line each',
    usage:
      'safety classify < messages.jsonl\n' +
      '  in:  {"id": "...", "text": "..."} per line (blank lines are skipped)\n' +
      '  out: {"id": "...", "level": "none"|"concern"|"crisis", "categories": [...]} per line, in order;\n' +
      '       a line that cannot be read gives {"id": null, "error": "..."} in its place',
    database: false,
    async run({ io }) {
      await runSafetyClassify(io.stdin, io.stdout);
    },
  },
];
