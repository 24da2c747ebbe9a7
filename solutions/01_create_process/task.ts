// A task that runs in a process of its own: says who it is, works for two time
// units, says it is done. It is given to you complete; main.ts is yours to write.
//
// Run it alone: node --import tsx katas/01_create_process/task.ts alice
const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const WORK_UNITS = 2;

const name = process.argv[2] ?? "nameless";
console.log(`task ${name}: pid ${process.pid}, parent ${process.ppid}, starting`);
setTimeout(() => {
  console.log(`task ${name}: done`);
}, WORK_UNITS * UNIT_MS);
