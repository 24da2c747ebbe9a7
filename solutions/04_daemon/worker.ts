// Kata 04: the ordinary child. It works for a few units and says when it is
// done. It is given to you complete; main.ts and daemon.ts are yours.
//
// Run it alone: node --import tsx katas/04_daemon/worker.ts
const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const WORK_UNITS = 4;

console.log(`worker: pid ${process.pid}, parent ${process.ppid}, working for ${WORK_UNITS} units`);
setTimeout(() => {
  console.log("worker: done");
}, WORK_UNITS * UNIT_MS);
