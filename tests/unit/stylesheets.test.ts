// Every stylesheet's blocks are closed. An unclosed `@media (max-width: 640px) {` in admin.css put every rule after it
// (the Compare models form, its recommended row, the tables' scrolling) inside the phone-only query, so on a desktop
// the model checkboxes sat centred on lines of their own — seen in the compare e2e screenshots (ADR 062).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function cssFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? cssFiles(p) : e.name.endsWith('.css') ? [p] : [];
  });
}

/** The line of the first block left open (or closed twice), or null when every block is balanced. */
function unbalancedBlock(css: string): { line: number; problem: string } | null {
  const text = css.replace(/\/\*[^]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(["'])(?:\\.|(?!\1)[^\\\n])*\1/g, (s) => s.replace(/[{}]/g, ' '));
  const open: number[] = [];
  let line = 1;
  for (const ch of text) {
    if (ch === '\n') line++;
    else if (ch === '{') open.push(line);
    else if (ch === '}' && !open.pop()) return { line, problem: 'closes a block that was never opened' };
  }
  return open.length ? { line: open[open.length - 1], problem: 'opens a block that is never closed' } : null;
}

describe('stylesheets', () => {
  it('the checker finds an unclosed block and its line', () => {
    expect(unbalancedBlock('a { b: c; }\n@media (x) {\n  d { e: f; }\n\ng { h: i; }')).toEqual({ line: 2, problem: 'opens a block that is never closed' });
    expect(unbalancedBlock('a { content: "{"; }')).toBeNull();
  });
  it('every stylesheet under app/ has its blocks closed', () => {
    const files = cssFiles('app');
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) expect(unbalancedBlock(fs.readFileSync(file, 'utf8')), file).toBeNull();
  });
});
