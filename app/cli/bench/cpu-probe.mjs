// Loaded into a process under benchmark with `--import`: answers the bench's IPC "cpu" message
// with process.cpuUsage() and RSS, so CPU per turn is measured inside the server, in microseconds.
// "profile-start" / "profile-stop <file>" record a V8 CPU profile of just the measured turns
// (the bench's --profile), without start-up work mixed in. Plain JavaScript, so the compiled
// server (build/web-server.mjs) runs under benchmark without tsx, as in production.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, constants as perfConstants, performance } from 'node:perf_hooks';

/** @type {Session | undefined} */
let session;
/** --marks: [label, process.cpuUsage(), performance.now()] at named points of a turn (globalThis.__cpuMark in the app). */
/** @type {Array<[string, NodeJS.CpuUsage, number]>} */
let marks = [];
/** --marks: garbage collections since the last report, by kind: [count, total ms]. */
/** @type {Record<string, [number, number]>} */
let gcs = {};
const gcKinds = { [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb' };

if (process.send) {
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage(), rss: process.memoryUsage.rss(), pid: process.pid });
    // With an id: concurrent probes (the RSS sampler and a turn's probes) each get their own reply.
    else if (message && typeof message === 'object' && message.cpu !== undefined) {
      process.send?.({ cpu: process.cpuUsage(), rss: process.memoryUsage.rss(), pid: process.pid, id: message.cpu });
    }
    else if (message === 'marks-on') {
      globalThis.__cpuMark = (/** @type {string} */ label) => {
        if (marks.length < 4096) marks.push([label, process.cpuUsage(), performance.now()]);
      };
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          // @ts-ignore detail.kind (Node ≥ 16)
          const kind = gcKinds[entry.detail?.kind] ?? 'other';
          const slot = (gcs[kind] ??= [0, 0]);
          slot[0] += 1;
          slot[1] += entry.duration;
        }
      }).observe({ entryTypes: ['gc'] });
      // In the server's output (BENCH_WEB_OUTPUT): what a V8 trace printed after this line is the measured turns'.
      console.log('[cpu-probe] marks on: the measured turns start here');
      process.send?.({ marking: true });
    } else if (message && typeof message === 'object' && message.marks !== undefined) {
      process.send?.({ marks, gcs, id: message.marks });
      marks = [];
      gcs = {};
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

