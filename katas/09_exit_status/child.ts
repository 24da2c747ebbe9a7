// The child of kata 09, given complete. Its arguments say how it ends:
//   exit <code>   works for one time unit, then exits with <code>
//   sleep         says "ready" over IPC, then sleeps for a very long time:
//                 only a signal ends it early
//
// Run it alone: node --import tsx katas/09_exit_status/child.ts exit 3; echo $?
const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const SLEEP_UNITS = 600;

const [mode, code] = process.argv.slice(2);
if (mode === "exit") {
  setTimeout(() => process.exit(Number(code ?? "0")), UNIT_MS);
} else if (mode === "sleep") {
  // Started by fork(), it tells its parent that it is up and sleeping.
  process.send?.("ready");
  setTimeout(() => {}, SLEEP_UNITS * UNIT_MS);
} else {
  throw new RangeError(`Unknown mode "${mode}": use "exit <code>" or "sleep"`);
}
