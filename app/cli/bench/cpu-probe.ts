// Loaded into a process under benchmark with `--import`: answers the bench's IPC "cpu" message
// with process.cpuUsage() and RSS, so CPU per turn is measured inside the server, in microseconds.
if (process.send) {
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage(), rss: process.memoryUsage().rss, pid: process.pid });
  });
  // The IPC channel must not keep a server alive that was asked to stop.
  process.channel?.unref();
}
export {};
