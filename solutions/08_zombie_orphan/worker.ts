// The worker of kata 08, given complete: it says who its parent is, works for
// the number of time units given as its argument, then says who its parent is
// now. zombie.ts, orphan.ts and middle.ts start it; it is not yours to change.
//
// Run it alone: node --import tsx katas/08_zombie_orphan/worker.ts 2
const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);

const units = Number(process.argv[2] ?? "2");
console.log(`worker: pid ${process.pid}, parent ${process.ppid}, working ${units} units`);
// Started by fork(), it tells its parent that it is up and running.
process.send?.("started");
setTimeout(() => {
  // process.ppid asks the kernel again: after an adoption it names the new parent.
  console.log(`worker: done, parent now ${process.ppid}`);
}, units * UNIT_MS);
