// Kata 04: a daemon child (reference solution).
//
// This program starts a daemon child and an ordinary child, then does its own
// short work. The daemon ends when that work ends; the program exits only
// after the ordinary child has finished.
import { fork } from "node:child_process";
import { DAEMON, ownWork, WORKER } from "./own_work.ts";

// fork() gives the daemon an IPC channel to this program; daemon.ts ends when
// that channel closes, which is what makes it die with us even after SIGKILL.
const daemon = fork(DAEMON);
// An ordinary child: nothing special. Its channel keeps our event loop alive
// until it exits, so Node waits for it as Python's exit joins a plain Process.
const worker = fork(WORKER);

await ownWork({ daemon, worker });

// Python terminates daemon children as soon as the main program's code ends,
// before it waits for the others. Node has no daemon flag: the daemon's open
// channel would keep this program alive until the daemon's duty ended, so we
// end it here. kill() sends SIGTERM, as Python's terminate() does.
daemon.kill();
