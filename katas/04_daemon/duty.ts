// Kata 04: the daemon's own service, given complete; daemon.ts (yours) runs it.
// First a set-up of a few units, then the duty: a tick once a unit, for far
// longer than the program runs. Each line names the daemon's parent as the
// kernel tells it (process.ppid), so that an orphan shows.
//
// Run the daemon alone: node --import tsx katas/04_daemon/daemon.ts
import { setTimeout as sleep } from "node:timers/promises";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
/** How long the set-up takes, in units: the parent may die meanwhile. */
const SETUP_UNITS = 4;
/** How long the duty lasts, in units. */
const DUTY_UNITS = 40;

/** Says who the daemon is (and tells its parent it is up), then sets it up, which takes SETUP_UNITS. */
export async function setUp(): Promise<void> {
  console.log(`daemon: pid ${process.pid}, parent ${process.ppid}, setting up for ${SETUP_UNITS} units`);
  // A parent already gone cannot hear it: the callback takes the error that would otherwise end this process.
  process.send?.("up", () => {});
  await sleep(SETUP_UNITS * UNIT_MS);
}

/** Goes on duty, a tick once a unit for DUTY_UNITS; returns at once. */
export function standBy(): void {
  console.log(`daemon: on duty for ${DUTY_UNITS} units, parent ${process.ppid}`);
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
    console.log(`daemon: tick ${ticks}, parent ${process.ppid}`);
    if (ticks === DUTY_UNITS) {
      clearInterval(timer);
      console.log("daemon: off duty");
    }
  }, UNIT_MS);
}
