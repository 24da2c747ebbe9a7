// A task for kata 02, given complete: sleeps for a number of time units in a
// process of its own, saying when it starts and ends. Forked, it also tells its
// parent over IPC that it is running.
//
// Run it alone: node --import tsx katas/02_join_timing/task.ts qq 1
const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);

const name = process.argv[2] ?? "nameless";
const units = Number(process.argv[3] ?? "1");
console.log(`task ${name}: pid ${process.pid} sleeps ${units} units`);
// (The callback takes the error of a parent already gone, which would otherwise end this task.)
process.send?.("running", () => {});
setTimeout(() => console.log(`task ${name}: done`), units * UNIT_MS);
