// Kata 17: a prefork server, the primary.
//
// The echo server of kata 10 for many clients: instead of a process per
// client, WORKERS processes started up front (worker.ts, given), which share
// one listening socket and serve whoever the kernel hands them. This process,
// the primary, serves no client itself: it keeps WORKERS workers alive,
// restarts them on SIGHUP, and shuts down gently on SIGTERM.
// Done when `npm run kata -- run 17` passes. Run it by hand with
//   node --import tsx katas/17_prefork_server/main.ts
// then `python3 katas/10_echo_server/_support/client.py <port> hello`,
// `kill -HUP <pid>` and `kill -TERM <pid>` from another terminal.
import cluster from "node:cluster";

const WORKERS = 2;
const WORKER = new URL("./worker.ts", import.meta.url).pathname;

// TODO: make the workers share the listening socket itself: by default (on
// Linux) the primary accepts every connection and passes it on. Set
// cluster.schedulingPolicy before anything else touches cluster.

// TODO: cluster.setupPrimary({ exec: WORKER }) and fork WORKERS workers. When
// the first one is listening (cluster's "listening" event gives its address),
// print `server: listening on 127.0.0.1 port <port>`, once.

// TODO: a worker that exits without being asked to (a crash, a kill) is
// replaced by a new one. A worker you disconnected yourself is not:
// worker.exitedAfterDisconnect tells the two apart.

// TODO: on SIGHUP, restart the workers one at a time, so that the listening
// socket is never without a worker: fork the new one, wait until it is
// listening, then disconnect an old one (it finishes its open connections)
// and wait for its exit before the next.

// TODO: on SIGTERM, stop accepting and let open connections finish:
// disconnect every worker and start no new one. The primary then ends by
// itself when the last worker has exited.
void cluster;
void WORKERS;
void WORKER;
