// The safety-quality bench's --id-range filter: a fresh dev batch is reported alone by id range.
import { describe, expect, it } from 'vitest';
import { idRange } from '~/cli/bench/safety-quality';

describe('safety-quality --id-range', () => {
  it('keeps ids of the same prefix inside the range, both ends included', () => {
    const keep = idRange(['--split=dev', '--id-range=dev-en-8000..dev-en-8999'])!;
    expect(['dev-en-8000', 'dev-en-8123', 'dev-en-8999'].every(keep)).toBe(true);
    expect(['dev-en-7999', 'dev-en-9000', 'dev-en-0800', 'dev-es-8001', 'dev-en-x'].some(keep)).toBe(false);
  });

  it('compares numbers, not strings, and allows an open end', () => {
    const from = idRange(['--id-range=dev-en-900..'])!;
    expect(from('dev-en-5012')).toBe(true);
    expect(from('dev-en-899')).toBe(false);
    const to = idRange(['--id-range=..train-en-20'])!;
    expect(to('train-en-3')).toBe(true);
    expect(to('train-en-21')).toBe(false);
  });

  it('is off without the flags and refuses mismatched prefixes', () => {
    expect(idRange(['--split=dev', '--misses', '--ids-from=batch.txt'])).toBeNull();
    expect(() => idRange(['--id-range=dev-en-1..dev-fr-2'])).toThrow();
    expect(() => idRange(['--id-range=dev-en-1'])).toThrow();
  });
});
