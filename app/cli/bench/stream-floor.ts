// The machine's floor for per-token CPU: a process that does nothing but relay a streamed reply —
// read each SSE chunk from the mock provider, write one SSE event on to an HTTP client — measured
// with process.cpuUsage() like the web server. On a virtual machine every event-loop wake-up costs
// CPU of its own (≈ 0.1–0.3 ms here, most of it outside JavaScript), so a token that arrives alone
// costs at least this much in any server; `bench chat` prints it beside the app's figure.
//   node --import tsx app/cli/bench/stream-floor.ts <mock url>   → prints `floor <ms per chunk> <chunks>`
import http from 'node:http';

const mockUrl = process.argv[2];
const client = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform' });
  res.flushHeaders();
  const body = JSON.stringify({ model: 'bench-model', stream: true, messages: [{ role: 'user', content: 'hello' }] });
  let chunks = 0;
  let start: NodeJS.CpuUsage | undefined;
  const upstream = http.request(`${mockUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
    response.on('data', () => {
      // From the first chunk on, as the bench counts per-token CPU from the first token.
      if (!start) start = process.cpuUsage();
      else chunks += 1;
      res.write('data: {"type":"text-delta","id":"text-0","delta":" word"}\n\n');
    });
    response.on('end', () => {
      const used = process.cpuUsage(start);
      res.end();
      console.log(`floor ${((used.user + used.system) / 1000 / Math.max(chunks, 1)).toFixed(3)} ${chunks}`);
      client.close();
    });
  });
  upstream.end(body);
});
client.listen(0, '127.0.0.1', () => {
  const { port } = client.address() as { port: number };
  http.get(`http://127.0.0.1:${port}/`, (res) => res.resume());
});
