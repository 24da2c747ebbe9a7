// Tests of kata 08: run zombie.ts, orphan.ts, double_fork.ts and abandon.ts as
// real process trees and watch, from the kernel, zombies appear and go and
// orphans change parent.
import { assertFinished, assertNothingLeft, kataSuite, once, type RunResult } from "../../harness/mod.ts";
import { type Abandoned, abandonRun, adoptedThenReaped, namesItsZombies, zombiesWhenKilled } from "./_support/abandon.ts";
import { goesOnWithItsWork, middleLeavesAtOnce, reapsMiddleAtOnce, workerIsAdopted } from "./_support/double_fork.ts";
import { childThenAdopted, orphanFinishes, outlivesAndIsAdopted, saysItLeaves } from "./_support/orphan.ts";
import { reapsItsZombie, saysZombie, seenAsZombie } from "./_support/zombie.ts";

const { test, program } = kataSuite(import.meta.url, { unitMs: 200, deadlineMs: 30_000 });
/** Orphaned workers outlive their programs on purpose: this long to end on their own. */
const GRACE_MS = 6000;

const run = (file: string) =>
  once(() => program.run(file, { allowFailure: true, allowLeftovers: true, graceMs: GRACE_MS }));
const zombie = run("zombie.ts");
const orphan = run("orphan.ts");
const doubleFork = run("double_fork.ts");
const abandon = once(() => abandonRun(program));

/**
 * Starts the orphan's and the double fork's runs side by side once the first
 * verdict is in (each run's observer samples /proc, so two at a time, not more).
 */
function startTheRest(): void {
  for (const r of [orphan, doubleFork]) r().catch(() => {});
}

const checks: [string, () => Promise<RunResult>, (r: RunResult) => void][] = [
  ["zombie: the worker is seen as a zombie while the program's event loop is blocked", zombie, seenAsZombie],
  ["zombie: the program's line names the worker and says it is a zombie", zombie, saysZombie],
  ["zombie: the program reaps its zombie once it waits for it", zombie, reapsItsZombie],
  ["orphan: the worker outlives the program and is adopted by another process", orphan, outlivesAndIsAdopted],
  ["orphan: the worker finishes its work under its new parent", orphan, (r) => orphanFinishes(r, GRACE_MS)],
  ["orphan: the worker is seen as the program's child before its adoption", orphan, childThenAdopted],
  ["orphan: the program's line names the worker it leaves", orphan, saysItLeaves],
  ["double fork: the program's child starts the worker and exits at once", doubleFork, middleLeavesAtOnce],
  ["double fork: the worker does its work as an orphan, adopted by another process", doubleFork, workerIsAdopted],
  ["double fork: the program reaps its child at once, so no zombie of its own is seen", doubleFork, reapsMiddleAtOnce],
  ["double fork: the program goes on with its own work after the join", doubleFork, goesOnWithItsWork],
];
for (const [name, runOf, check] of checks) {
  test(name, async () => {
    const r = await runOf();
    if (runOf === zombie) startTheRest();
    check(r);
  });
}

const abandoned: [string, (a: Abandoned) => void][] = [
  ["abandoned zombies: each worker is still the program's zombie when the program is killed", zombiesWhenKilled],
  ["abandoned zombies: once the program is killed, each zombie is adopted by another process and reaped", adoptedThenReaped],
  ["abandoned zombies: the program's line names its three zombies", namesItsZombies],
];
for (const [name, check] of abandoned) test(name, async () => check(await abandon()));

test("every program exits with code 0 and leaves nothing behind", async () => {
  const runs: RunResult[] = [await zombie(), await orphan(), await doubleFork()];
  for (const r of runs) {
    assertFinished(r);
    assertNothingLeft(r);
  }
  assertNothingLeft((await abandon()).result);
});

test.run();
