// Kata 04: the daemon child (reference solution). It serves the program that
// started it, and has no reason to live once its parent is gone.
import { setUp, standBy } from "./duty.ts";

// fork() joined parent and child by an IPC channel, a socket pair. However the
// parent dies, even by SIGKILL, the kernel closes its end, this end reads
// end-of-file and Node emits 'disconnect'. The parent's handlers play no part.
function parentGone(): void {
  console.log("daemon: my parent is gone, so am I");
  process.exit(0);
}
// Watch from the first line, before the set-up: a parent can die at any time.
process.on("disconnect", parentGone);
// A parent that died while this file was still loading disconnected before the
// listener existed: `connected` is then false (undefined when run alone).
if (process.connected === false) parentGone();

await setUp();
standBy();
