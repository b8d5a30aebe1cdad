// Benchmark dispatcher: `npm run bench -- <name> [args]` runs app/cli/bench/<name>.ts's run(args).
import { readdirSync } from 'node:fs';

const [name, ...rest] = process.argv.slice(2);
const benchDir = new URL('./bench/', import.meta.url);
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -3))
  .sort();

if (!name || !available.includes(name)) {
  console.error(`${name ? `Unknown bench "${name}". ` : ''}Available benches: ${available.join(', ') || '(none)'}`);
  process.exit(1);
}
const mod = (await import(`./bench/${name}.ts`)) as { run: (args: string[]) => Promise<void> };
await mod.run(rest);
