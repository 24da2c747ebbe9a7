// Tests of kata 08: run zombie.ts, orphan.ts and double_fork.ts as real process
// trees and watch, from the kernel, zombies appear and go and orphans change parent.
import { assertFinished, assertNothingLeft, kataSuite, once, type RunResult } from "../../harness/mod.ts";
import { goesOnWithItsWork, middleLeavesAtOnce, reapsMiddleAtOnce, workerIsAdopted } from "./_support/double_fork.ts";
import { childThenAdopted, orphanFinishes, outlivesAndIsAdopted, saysItLeaves } from "./_support/orphan.ts";
import { reapsItsZombie, saysZombie, seenAsZombie } from "./_support/zombie.ts";

const { test, program } = kataSuite(import.meta.url, { unitMs: 200, deadlineMs: 20_000 });
/** Orphaned workers outlive their programs on purpose: this long to end on their own. */
const GRACE_MS = 6000;

const run = (file: string) =>
  once(() => program.run(file, { allowFailure: true, allowLeftovers: true, graceMs: GRACE_MS }));
const zombie = run("zombie.ts");
const orphan = run("orphan.ts");
const doubleFork = run("double_fork.ts");

test("zombie: the worker is seen as a zombie while the program's event loop is blocked", async () => {
  seenAsZombie(await zombie());
});

test("zombie: the program's line names the worker and says it is a zombie", async () => {
  saysZombie(await zombie());
});

test("zombie: the program reaps its zombie once it waits for it", async () => {
  reapsItsZombie(await zombie());
});

test("orphan: the worker outlives the program and is adopted by another process", async () => {
  outlivesAndIsAdopted(await orphan());
});

test("orphan: the worker is seen as the program's child before its adoption", async () => {
  childThenAdopted(await orphan());
});

test("orphan: the worker finishes its work under its new parent", async () => {
  orphanFinishes(await orphan(), GRACE_MS);
});

test("orphan: the program's line names the worker it leaves", async () => {
  saysItLeaves(await orphan());
});

test("double fork: the program's child starts the worker and exits at once", async () => {
  middleLeavesAtOnce(await doubleFork());
});

test("double fork: the worker does its work as an orphan, adopted by another process", async () => {
  workerIsAdopted(await doubleFork());
});

test("double fork: the program reaps its child at once, so no zombie of its own is seen", async () => {
  reapsMiddleAtOnce(await doubleFork());
});

test("double fork: the program goes on with its own work after the join", async () => {
  goesOnWithItsWork(await doubleFork());
});

test("every program exits with code 0 and leaves nothing behind", async () => {
  const runs: RunResult[] = [await zombie(), await orphan(), await doubleFork()];
  for (const r of runs) {
    assertFinished(r);
    assertNothingLeft(r);
  }
});

test.run();
