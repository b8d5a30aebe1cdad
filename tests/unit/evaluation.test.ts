import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksInFirst, readScenarios } from '~/.server/evaluation/scenarios';

describe('coach evaluation checks', () => {
  it('recognises a check-in in the opening of a reply', () => {
    expect(checksInFirst('Before anything else: are you okay? That sounds heavy.')).toBe(true);
    expect(checksInFirst("Thank you for telling me. It matters that they reached out. **Is the person safe right now?**")).toBe(true);
    expect(checksInFirst("I'm really glad you told me, and I'm sorry you're carrying this.")).toBe(true);
  });
  it('does not count a check-in buried after advice', () => {
    expect(checksInFirst('Here is the policy on swaps. Post it in the app. Then, are you okay?')).toBe(false);
    expect(checksInFirst('Shift swaps need 24 hours notice.')).toBe(false);
  });
  it('reads every demo tenant scenario file, and refuses a malformed one', () => {
    for (const tenant of fs.readdirSync('tenants')) {
      const scenarios = readScenarios(path.join('tenants', tenant, 'scenarios.json'));
      expect(scenarios.length).toBeGreaterThanOrEqual(8);
    }
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scn-')), 'bad.json');
    fs.writeFileSync(bad, JSON.stringify([{ id: 'x', message: '' }]));
    expect(() => readScenarios(bad)).toThrow();
  });
});
