// Unit tests of the CLI's pieces that need no process: the progress file, the
// queue of activities, the keys, and the verdict's screen, which charts a
// timing failure by its kind, whatever its lesson's words.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { allKatas } from "../katas.ts";
import type { ProcessRecord } from "../tree.ts";
import type { RunTrace } from "../timeline.ts";
import { decodeKey, isYes, KEYS, menuLine } from "./_keys.ts";
import { type PlatformFacts, platformNotes } from "./_platform.ts";
import { formatVerdict } from "./_print.ts";
import { activityQueue } from "./_queue.ts";
import {
  currentKata,
  loadProgress,
  nextKata,
  recordOutcome,
  repairProgress,
  saveProgress,
  updateProgress,
} from "./_state.ts";
import type { Verdict } from "./_verdict.ts";
import { openWorkspace } from "./_workspace.ts";

const katas = allKatas();

function withStateFile(fn: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "kata-state-test-"));
  try {
    fn(join(dir, ".kata-state.json"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("progress: a missing file is a fresh start; outcomes are recorded and saved whole", () =>
  withStateFile((file) => {
    assert.equal(loadProgress(file), { done: [], started: [] });
    updateProgress(file, (p) => recordOutcome(p, katas[0].dir, true));
    updateProgress(file, (p) => recordOutcome(p, katas[1].dir, false));
    const p = loadProgress(file);
    assert.equal([p.done, p.started], [[katas[0].dir], [katas[0].dir, katas[1].dir]]);
    assert.is(currentKata(p, katas)?.dir, katas[1].dir, "the first kata not done");
    assert.is(nextKata(p, katas, katas[1])?.dir, katas[2].dir);
    saveProgress({ ...p, current: katas[3].dir }, file);
    assert.is(JSON.parse(readFileSync(file, "utf8")).current, katas[3].dir);
    assert.is(currentKata(loadProgress(file), katas)?.dir, katas[3].dir, "the chosen kata while it is not done");
  }));

test("progress: a failed kata is no longer done", () =>
  withStateFile((file) => {
    writeFileSync(file, JSON.stringify({ done: [katas[0].dir], started: [katas[0].dir] }));
    assert.equal(recordOutcome(loadProgress(file), katas[0].dir, false).done, []);
  }));

test("progress: a file that is not JSON is kept aside, said, and replaced by a fresh start", () =>
  withStateFile((file) => {
    writeFileSync(file, '{"done": ["01_create_process"');
    assert.equal(loadProgress(file), { done: [], started: [] }, "never a crash");
    const said = repairProgress(file, new Date("2026-05-01T12:00:00Z"));
    const backup = `${file}.broken-2026-05-01T12-00-00`;
    assert.match(said ?? "", "it is not JSON");
    assert.match(said ?? "", "kept as .kata-state.json.broken-2026-05-01T12-00-00");
    assert.match(said ?? "", "npx kata verify --keep-going");
    assert.is(readFileSync(backup, "utf8"), '{"done": ["01_create_process"', "the damaged file, byte for byte");
    assert.equal(JSON.parse(readFileSync(file, "utf8")), { done: [], started: [] });
    assert.is(repairProgress(file), undefined, "once mended, nothing to say");
  }));

test("progress: JSON of the wrong shape keeps what has the right shape, and never crashes", () =>
  withStateFile((file) => {
    writeFileSync(file, JSON.stringify({ done: 5, started: [katas[0].dir, 7], current: katas[1].dir }));
    assert.equal(loadProgress(file), { done: [], started: [], current: katas[1].dir });
    const said = repairProgress(file) ?? "";
    assert.match(said, '"done" is not a list of kata names');
    assert.match(said, '"started" is not a list of kata names');
    assert.is(JSON.parse(readFileSync(file, "utf8")).current, katas[1].dir, "the valid field kept");
    for (const raw of ["[]", "null", "42", '"x"']) {
      writeFileSync(file, raw);
      assert.equal(loadProgress(file), { done: [], started: [] }, raw);
      assert.match(repairProgress(file) ?? "", "not an object", raw);
    }
    assert.ok(!existsSync(`${file}.tmp`));
  }));

test("queue: a new activity cancels the one under way; of several waiting, only the newest runs", async () => {
  const events: string[] = [];
  const queue = activityQueue((err) => events.push(`error ${err}`));
  let finishFirst = () => {};
  queue.schedule(() => ({
    cancel: () => {
      events.push("cancel first");
      finishFirst();
    },
    done: new Promise<void>((resolve) => (finishFirst = resolve)),
  }));
  await Promise.resolve();
  for (const name of ["second", "third"]) {
    queue.schedule(() => {
      events.push(`run ${name}`);
      return { cancel: () => events.push(`cancel ${name}`), done: Promise.resolve() };
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
  await queue.stop();
  assert.equal([...new Set(events)], ["cancel first", "run third"], "the second never ran");
});

test("keys: each key of the table decodes to its action, in either case; others to nothing", () => {
  for (const k of KEYS) {
    assert.is(decodeKey(k.key), k.action);
    assert.is(decodeKey(k.key.toUpperCase()), k.action);
  }
  assert.is(decodeKey(""), undefined);
  assert.is(decodeKey("?"), undefined);
  assert.ok(isYes("y") && isYes("Yes") && !isYes("n") && !isYes(""));
  assert.match(menuLine(), "x reset this kata to its stub");
  for (const line of menuLine({ width: 60 }).split("\n")) assert.ok(line.length <= 60, `wrapped at 60: "${line}"`);
  assert.not.match(menuLine({ without: ["edit"] }), "e open");
});

const LINUX: PlatformFacts = {
  platform: "linux", nodeVersion: "24.11.0", hasProc: true, hasPs: true, kernelRelease: "6.8.0-generic", root: "/home/me/process-katas",
};

test("platform: a line each for what the harness sees less well; where it sees nothing, why tests cannot run", () => {
  assert.equal(platformNotes(LINUX), { notes: [], mustPoll: false });
  const old = platformNotes({ ...LINUX, nodeVersion: "20.19.0" });
  assert.equal(old.notes.length, 1);
  assert.match(old.notes[0], "about four times slower; Node 24 or later runs them natively");
  assert.is(platformNotes({ ...LINUX, nodeVersion: "22.18.0" }).notes.length, 0, "22.18 strips types itself");
  const mac = platformNotes({ ...LINUX, platform: "darwin", hasProc: false, kernelRelease: "" });
  assert.match(mac.notes.join(""), "samples processes with ps every 50 ms");
  const wsl = platformNotes({ ...LINUX, kernelRelease: "5.15.167.4-microsoft-standard-WSL2", root: "/mnt/c/Users/me/katas" });
  assert.ok(wsl.mustPoll, "no change events from /mnt/c");
  assert.match(wsl.notes.join(""), "Windows file system");
  assert.not.ok(platformNotes({ ...LINUX, kernelRelease: "5.15.167.4-microsoft-standard-WSL2" }).mustPoll, "a clone inside Linux");
  for (const facts of [{ ...LINUX, platform: "win32" as const }, { ...LINUX, hasProc: false, hasPs: false }]) {
    assert.match(platformNotes(facts).blocker ?? "", "Windows inside WSL 2");
  }
});

function record(pid: number, ppid: number, file: string, from: number, to: number): ProcessRecord {
  return {
    pid, ppid, parents: [], argv: ["node", file], pgrp: pid, session: pid, createdAt: from, firstSeen: from,
    lastAlive: to, endedAt: to + 4, zombieFrom: undefined, zombieUntil: undefined, goneAt: to + 4, state: "S",
    startTicks: 0,
  };
}

function failedVerdict(kind: string | undefined, message: string): Verdict {
  const trace: RunTrace = {
    runId: "r", file: "/k/main.ts", args: [], pid: 10, exitCode: 0, signal: null, durationMs: 500, timedOut: false,
    deadlineMs: 1000, tree: [record(10, 1, "/k/main.ts", 0, 500)], output: [], outputTruncated: false, stderrTail: [],
  };
  const failure = {
    kata: katas[0].dir, test: "the check", ok: false, startMs: 0, endMs: 1,
    error: { name: "KataCheckError", message, ...(kind ? { kind: kind as "timing" } : {}) },
  };
  return {
    kata: katas[0], passed: false, testsPassed: false, cancelled: false, passedTests: 0, ranTests: 1,
    firstFailure: failure, failedRun: trace, runs: [{ trace, tests: ["the check"] }], missing: [], durationMs: 1,
  };
}

test("a timing failure comes with its chart whatever its words; another with one process does not", () => {
  const ws = openWorkspace();
  const chart = "What the harness saw in that run:";
  assert.match(formatVerdict(failedVerdict("timing", "Reworded: nothing here names time."), ws), chart);
  assert.not.match(formatVerdict(failedVerdict("check", "Expected all 4 to be alive at the same time."), ws), chart);
});

test.run();
