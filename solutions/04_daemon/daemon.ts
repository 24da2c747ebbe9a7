// Kata 04: the daemon child (reference solution). It stands by for the
// program that started it: it says it is on duty, then ticks once a unit, for
// far longer than the program runs. It has no reason to live once its parent
// is gone.
const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const DUTY_UNITS = 100;

console.log(`daemon: pid ${process.pid}, parent ${process.ppid}, on duty for ${DUTY_UNITS} units`);
let ticks = 0;
const timer = setInterval(() => {
  ticks++;
  console.log(`daemon: tick ${ticks}`);
  if (ticks === DUTY_UNITS) {
    clearInterval(timer);
    console.log("daemon: off duty");
  }
}, UNIT_MS);

// fork() joined parent and child by an IPC channel, a socket pair. However the
// parent dies, even by SIGKILL, the kernel closes its end, this end reads
// end-of-file and Node emits 'disconnect'. The parent's handlers play no part.
function parentGone(): void {
  console.log("daemon: my parent is gone, so am I");
  process.exit(0);
}
process.on("disconnect", parentGone);
// A parent that died while this file was still loading disconnected before the
// listener existed: `connected` is then false (undefined when run alone).
if (process.connected === false) parentGone();
