// Kata 04: the ordinary child, given complete; main.ts and daemon.ts are yours.
// It says it is up, and when its parent says "go" (at once when run alone),
// works for a few units and says when it is done.
//
// Run it alone: node --import tsx katas/04_daemon/worker.ts
const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const WORK_UNITS = 6;

function work(): void {
  console.log(`worker: working for ${WORK_UNITS} units`);
  setTimeout(() => console.log("worker: done"), WORK_UNITS * UNIT_MS);
}

console.log(`worker: pid ${process.pid}, parent ${process.ppid}, up`);
if (process.send) {
  process.once("message", () => {
    // Nothing more will come: the open channel must not keep this process alive.
    process.channel?.unref();
    work();
  });
  // A parent already gone cannot hear it: the callback takes the error that would otherwise end this process.
  process.send("up", () => {});
} else {
  work();
}
