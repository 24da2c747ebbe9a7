// Self-tests of the benchmark's sleep log: the floor of a set of sleeps, and
// the recorder preloaded into a real child process.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readSleeps, recorderNodeOptions, type Sleep, SLEEP_LOG_VAR, sleepFloor } from "./_sleeps.ts";

const at = (from: number, to: number): Sleep => ({ pid: 1, from, to });

test("sleeps that overlap count as the longest, sleeps in sequence add up, gaps do not count", () => {
  assert.is(sleepFloor([]), 0);
  assert.is(sleepFloor([at(0, 100), at(10, 100), at(50, 80)]), 100);
  assert.is(sleepFloor([at(0, 300), at(40, 340)]), 300, "two children sleeping at once, one started late");
  assert.is(sleepFloor([at(200, 300), at(0, 100)]), 200);
  assert.is(sleepFloor([at(0, 100), at(60, 150), at(400, 450)]), 150);
  assert.is(sleepFloor([at(0, 100), at(98, 200)]), 202, "a 2 ms overlap is jitter, not concurrency");
  assert.is(sleepFloor([at(0, 50), at(40, 300), at(50, 100), at(100, 150)]), 260);
});

// Sleeps through each timer API a program may use, plus timers that must not count.
const PROGRAM = `
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
await sleep(30);
await promisify(setTimeout)(25);
await new Promise((resolve) => setTimeout(resolve, 22));
await new Promise((resolve) => setTimeout(resolve, 5));
const cleared = setTimeout(() => {}, 5000);
clearTimeout(cleared);
let ticks = 0;
const t = setInterval(() => ++ticks === 2 && clearInterval(t), 40);
`;

test("the recorder logs the timers that fired in a child, and only those", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kata-sleeps-"));
  const log = join(dir, "sleeps.jsonl");
  try {
    await promisify(execFile)(process.execPath, ["--input-type=module", "-e", PROGRAM], {
      env: { ...process.env, NODE_OPTIONS: recorderNodeOptions(), [SLEEP_LOG_VAR]: log },
    });
    const sleeps = readSleeps(log);
    assert.equal(sleeps.map((s) => Math.round(s.to - s.from)), [30, 25, 22, 40, 40]);
    // The three awaited sleeps are surely in sequence; an interval's tick may seem to start
    // before its setInterval() call under load (Node times it from the loop's cached clock).
    assert.ok(sleepFloor(sleeps) >= 30 + 25 + 22, `floor ${sleepFloor(sleeps)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
