// The web server's SSE writer (turn-stream.ts PacedSink): one socket write per window of text
// deltas, the same events in the same order, the first delta and every other chunk at once.
import { describe, expect, it } from 'vitest';
import { PacedSink, SEND_EVERY_MS } from '~/.server/coach/turn-stream';

function recorder() {
  const writes: string[] = [];
  let ended = false;
  return { writes, ended: () => ended, sink: { write: (t: string) => void writes.push(t), end: () => void (ended = true) } };
}

describe('PacedSink', () => {
  it('sends the first delta at once, holds later ones, and sends them before the next other chunk, in order', () => {
    const r = recorder();
    const paced = new PacedSink(r.sink, 60_000);
    paced.write('start;', false);
    paced.write('d1;', true);
    paced.write('d2;', true);
    paced.write('d3;', true);
    expect(r.writes).toEqual(['start;', 'd1;']);
    paced.write('meta;', false);
    expect(r.writes).toEqual(['start;', 'd1;', 'd2;d3;meta;']);
    paced.write('d4;', true);
    paced.end('done;');
    expect(r.writes.join('')).toBe('start;d1;d2;d3;meta;d4;done;');
    expect(r.ended()).toBe(true);
  });

  it('sends a delta with the held ones once the window has passed', () => {
    const r = recorder();
    const paced = new PacedSink(r.sink, 0);
    paced.write('d1;', true);
    paced.write('d2;', true);
    expect(r.writes).toEqual(['d1;', 'd2;']);
  });

  it('sends held text when the model pauses (no further chunk arrives)', async () => {
    const r = recorder();
    const paced = new PacedSink(r.sink, 60_000);
    paced.write('d1;', true);
    paced.write('d2;', true);
    expect(r.writes).toEqual(['d1;']);
    await new Promise((resolve) => setTimeout(resolve, SEND_EVERY_MS * 2 + 50));
    expect(r.writes).toEqual(['d1;', 'd2;']);
  });

  it('writes nothing more once the reader went away', async () => {
    const r = recorder();
    const paced = new PacedSink(r.sink, 60_000);
    paced.write('d1;', true);
    paced.write('d2;', true);
    paced.drop();
    await new Promise((resolve) => setTimeout(resolve, SEND_EVERY_MS * 2 + 50));
    expect(r.writes).toEqual(['d1;']);
  });
});
