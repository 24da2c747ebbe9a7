// Kata 04: the daemon child. It stands by for the program that started it:
// it says it is on duty, then ticks once a unit, for far longer than the
// program runs. It has no reason to live once its parent is gone.
// Done when: `npm run kata -- run 04` passes. Run it alone with
//   node --import tsx katas/04_daemon/daemon.ts
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

// TODO: end this process as soon as its parent is gone, whatever ended the
// parent: the end of its work, SIGTERM, or SIGKILL. Nothing runs in a parent
// killed by SIGKILL, so only the daemon itself can notice.
