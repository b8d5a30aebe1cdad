// A chat turn's SSE frames written as one HTTP chunk each, straight to the socket (server/remix-handler.ts,
// writeChunkDirect): the bytes on the wire must be valid chunked encoding that any client decodes to exactly
// the frames sent, the connection must stay usable for the next request (keep-alive), and a compressed or
// pipelined response must still go through `res.write`.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import compression from 'compression';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendResponse, writeChunkDirect } from '../../server/remix-handler';

const FRAMES = ['data: {"type":"start"}\n\n', 'data: {"type":"text-delta","id":"t","delta":"Grüße — 你好 👋"}\n\n', 'data: {"type":"text-delta","id":"t","delta":" and more"}\n\n'];

let server: http.Server;
let base: string;
const directWrites: boolean[] = [];

beforeAll(async () => {
  const app = express();
  // As the web server: compression in front, skipping event streams (server/index.ts).
  app.use(
    compression({
      filter: (req, res) => (String(res.getHeader('Content-Type') ?? '').includes('text/event-stream') ? false : compression.filter(req, res)),
    }),
  );
  app.post('/sse', async (_req, res) => {
    const response = new Response(null, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform' } });
    await sendResponse(res, response, async () => (sink) => {
      let i = 0;
      const next = () => {
        if (i < FRAMES.length) {
          sink.write(FRAMES[i++]);
          setTimeout(next, 5);
        } else {
          sink.write('');
          sink.write('data: [DONE]\n\n');
          sink.end();
        }
      };
      next();
      return { cancel() {} };
    });
  });
  app.get('/event-stream', (_req, res) => {
    res.setHeader('content-type', 'text/event-stream');
    res.flushHeaders();
    directWrites.push(writeChunkDirect(res, 'data: one\n\n'));
    res.end();
  });
  // Frames of one turn of the event loop: one chunk.
  app.post('/same-tick', async (_req, res) => {
    const response = new Response(null, { headers: { 'content-type': 'text/event-stream' } });
    await sendResponse(res, response, async () => (sink) => {
      for (const frame of FRAMES) sink.write(frame);
      setTimeout(() => {
        sink.write('data: [DONE]\n\n');
        sink.end();
      }, 5);
      return { cancel() {} };
    });
  });
  // A compressed response: writeChunkDirect must refuse it (the bytes would bypass the compressor).
  app.get('/compressed', (_req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.flushHeaders();
    directWrites.push(writeChunkDirect(res, 'x'.repeat(2000)));
    res.end('y'.repeat(2000));
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Decodes a chunked body by hand; throws on anything that is not valid chunked encoding. */
function decodeChunked(raw: Buffer): { body: string; rest: Buffer } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) throw new Error('truncated size line');
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) throw new Error(`bad size line ${raw.subarray(at, lineEnd).toString('latin1')}`);
    at = lineEnd + 2;
    if (size === 0) {
      if (raw.subarray(at, at + 2).toString('latin1') !== '\r\n') throw new Error('no CRLF after the last chunk');
      return { body: Buffer.concat(parts).toString('utf8'), rest: raw.subarray(at + 2) };
    }
    parts.push(raw.subarray(at, at + size));
    at += size;
    if (raw.subarray(at, at + 2).toString('latin1') !== '\r\n') throw new Error('chunk not followed by CRLF');
    at += 2;
  }
}

describe('SSE frames written straight to the socket', () => {
  it('a client decodes exactly the frames sent, one chunk each, multibyte text included', async () => {
    const response = await fetch(`${base}/sse`, { method: 'POST' });
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(await response.text()).toBe(FRAMES.join('') + 'data: [DONE]\n\n');
  });

  it('is valid chunked encoding on the wire, and the connection serves a second request after it (keep-alive)', async () => {
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (d) => received.push(d));
    const request = 'POST /sse HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n';
    socket.write(request);
    const readResponse = async (from: number) => {
      for (let i = 0; i < 200; i++) {
        const all = Buffer.concat(received).subarray(from);
        const head = all.indexOf('\r\n\r\n');
        if (head >= 0) {
          try {
            const { body, rest } = decodeChunked(all.subarray(head + 4));
            return { head: all.subarray(0, head).toString('latin1'), body, used: all.length - rest.length };
          } catch {
            // not all there yet
          }
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no complete response: ${Buffer.concat(received).toString('latin1')}`);
    };
    const first = await readResponse(0);
    expect(first.head).toMatch(/^HTTP\/1\.1 200/);
    expect(first.head).toMatch(/transfer-encoding: chunked/i);
    expect(first.body).toBe(FRAMES.join('') + 'data: [DONE]\n\n');
    // Each frame is its own chunk (the size line of the multibyte frame counts bytes, not characters).
    const wire = Buffer.concat(received).toString('latin1');
    expect(wire).toContain(`\r\n${Buffer.byteLength(FRAMES[1]).toString(16)}\r\n`);
    socket.write(request);
    const second = await readResponse(first.used);
    expect(second.body).toBe(FRAMES.join('') + 'data: [DONE]\n\n');
    socket.destroy();
  });

  it('frames written in one turn of the event loop go out as one chunk, in order', async () => {
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (d) => received.push(d));
    socket.write('POST /same-tick HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    await new Promise((resolve) => socket.once('end', resolve));
    const all = Buffer.concat(received);
    const { body } = decodeChunked(all.subarray(all.indexOf('\r\n\r\n') + 4));
    expect(body).toBe(FRAMES.join('') + 'data: [DONE]\n\n');
    const together = Buffer.byteLength(FRAMES.join('')).toString(16);
    expect(all.toString('latin1')).toContain(`\r\n\r\n${together}\r\n`);
  });

  it('takes an uncompressed chunked response; refuses a compressed one, which then goes through res.write unchanged', async () => {
    directWrites.length = 0;
    expect(await (await fetch(`${base}/event-stream`, { headers: { 'accept-encoding': 'gzip' } })).text()).toBe('data: one\n\n');
    const response = await fetch(`${base}/compressed`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.text()).toBe('y'.repeat(2000));
    expect(directWrites).toEqual([true, false]);
  });
});
