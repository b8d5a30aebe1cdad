// Loaded into a process under benchmark with `--import`: answers the bench's IPC "cpu" message
// with process.cpuUsage() and RSS, so CPU per turn is measured inside the server, in microseconds.
// "profile-start" / "profile-stop <file>" record a V8 CPU profile of just the measured turns
// (the bench's --profile), without start-up work mixed in. Plain JavaScript, so the compiled
// server (build/web-server.mjs) runs under benchmark without tsx, as in production.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';

/** @type {Session | undefined} */
let session;

if (process.send) {
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage(), rss: process.memoryUsage.rss(), pid: process.pid });
    // With an id: concurrent probes (the RSS sampler and a turn's probes) each get their own reply.
    else if (message && typeof message === 'object' && message.cpu !== undefined) {
      process.send?.({ cpu: process.cpuUsage(), rss: process.memoryUsage.rss(), pid: process.pid, id: message.cpu });
    }
    else if (message === 'profile-start') void startProfile().then(() => process.send?.({ profiling: true }));
    else if (typeof message === 'string' && message.startsWith('profile-stop ')) {
      void stopProfile(message.slice('profile-stop '.length)).then(() => process.send?.({ profiled: true }));
    }
  });
  // The IPC channel must not keep a server alive that was asked to stop.
  process.channel?.unref();
}

async function startProfile() {
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}

/** @param {string} file */
async function stopProfile(file) {
  if (!session) return;
  const { profile } = await session.post('Profiler.stop');
  fs.writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  session = undefined;
}

