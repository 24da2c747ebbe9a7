// Self-tests of run(): real fixture programs that exit, get killed, hang,
// escape their session, flood, fork in a loop, or do not parse.
import { existsSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assertFinished, assertNothingLeft } from "./checks.ts";
import { findMarked } from "./cleanup.ts";
import { run, start } from "./run.ts";
import { KataCheckError } from "./timing.ts";
import { readStat } from "./_proc.ts";

const fixture = (name: string) => new URL(`./fixtures/${name}.ts`, import.meta.url).pathname;
const SHORT_DEADLINE_MS = 1500;
// Long enough for a child or two to start even on a loaded machine.
const TREE_DEADLINE_MS = 4000;

/** Dead: gone, a zombie, or its pid now names another process (pids are reused). */
function isDead(pid: number, startTicks?: number): boolean {
  const s = readStat(pid);
  return s === undefined || s.state === "Z" || (startTicks !== undefined && s.startTicks !== startTicks);
}

function thrown(fn: () => void): KataCheckError {
  try {
    fn();
  } catch (err) {
    assert.instance(err, KataCheckError);
    return err as KataCheckError;
  }
  throw new Error("expected the check to fail");
}

test("a program that exits with a code: code, stamped lines, its own record", async () => {
  const r = await run(fixture("exit_code"), { args: ["3"] });
  assert.is(r.exitCode, 3);
  assert.is(r.signal, null);
  assert.is(r.timedOut, false);
  assert.equal(r.lines.map((l) => l.text), ["exiting with 3"]);
  assert.ok(r.lines[0].at > 0 && r.lines[0].at <= r.durationMs + 50);
  assert.is(r.root?.pid, r.pid);
  assert.equal(r.leftovers, []);
  const message = thrown(() => assertFinished(r)).message;
  assert.match(message, "exit_code.ts exited with code 3, expected code 0");
});

test("a program killed by a signal reports the signal and no code", async () => {
  const r = await run(fixture("killed_by_signal"));
  assert.is(r.exitCode, null);
  assert.is(r.signal, "SIGTERM");
  assert.match(thrown(() => assertFinished(r)).message, "was killed by SIGTERM");
});

test("a program that never exits is killed at its deadline, and the result says what was alive", async () => {
  const r = await run(fixture("forever"), { deadlineMs: SHORT_DEADLINE_MS });
  assert.ok(r.timedOut);
  assert.ok(r.durationMs >= SHORT_DEADLINE_MS);
  assert.ok(r.aliveAtDeadline.some((p) => p.pid === r.pid && p.argv.some((a) => a.endsWith("forever.ts"))));
  assert.ok(isDead(r.pid));
  assert.equal(findMarked(r.runId), []);
  const message = thrown(() => assertFinished(r)).message;
  assert.match(message, "still running at its 1500 ms deadline");
  assert.match(message, `pid ${r.pid} node forever.ts: `);
});

test("a grandchild that escaped into its own session is found by its marker and killed", async () => {
  const r = await run(fixture("escape_session"), { deadlineMs: TREE_DEADLINE_MS });
  const grandchild = r.descendants.find((p) => p.argv.some((a) => a.endsWith("forever.ts")));
  assert.ok(grandchild, "the grandchild was observed");
  assert.is.not(grandchild!.session, r.root!.session);
  assert.ok(r.aliveAtDeadline.some((p) => p.pid === grandchild!.pid));
  assert.ok(isDead(grandchild!.pid, grandchild!.startTicks));
  assert.equal(findMarked(r.runId), []);
});

test("a child left running after the program exits is reported as left behind, then killed", async () => {
  const r = await run(fixture("escape_session"), { args: ["exit"] });
  assert.is(r.exitCode, 0);
  assert.is(r.leftovers.length, 1);
  assert.ok(isDead(r.leftovers[0].pid));
  const message = thrown(() => assertNothingLeft(r)).message;
  assert.match(message, "node forever.ts");
  assert.match(message, "Did the program exit without waiting for its children");
});

test("a program that floods its output keeps a bounded amount and still ends", async () => {
  const r = await run(fixture("flood"), { deadlineMs: TREE_DEADLINE_MS });
  assert.ok(r.timedOut);
  assert.ok(r.outputTruncated);
  assert.ok(r.lines.length > 100 && r.lines.length <= 10_000);
  assert.ok(isDead(r.pid));
});

test("a program that forks in a loop is stopped whole", async () => {
  const r = await run(fixture("fork_loop"), { deadlineMs: TREE_DEADLINE_MS });
  assert.ok(r.timedOut);
  assert.ok(r.descendants.length >= 2, `expected a chain, saw ${r.descendants.length}`);
  for (const p of r.tree) assert.ok(isDead(p.pid, p.startTicks), `pid ${p.pid} is dead`);
  assert.equal(findMarked(r.runId), []);
});

test("a program with a syntax error is said not to start, with the compiler's words", async () => {
  const r = await run(fixture("syntax_error"));
  assert.is.not(r.exitCode, 0);
  const message = thrown(() => assertFinished(r)).message;
  assert.match(message, "syntax_error.ts could not start");
  assert.match(message, /syntax_error\.ts:2/);
});

test("start() hands back a running program: wait for a line, then signal it", async () => {
  const p = start(fixture("forever"), { deadlineMs: 5000 });
  const ready = await p.waitForLine("ready");
  assert.ok(ready.at > 0);
  p.kill("SIGTERM");
  const r = await p.result;
  assert.is(r.signal, "SIGTERM");
  assert.is(r.timedOut, false);
});

test("waitForLine() fails with the last lines when the program ends without the line", async () => {
  const p = start(fixture("exit_code"), { args: ["0"] });
  try {
    await p.waitForLine("never printed");
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, "exiting with 0");
  }
  await p.result;
});

test("each program gets its time unit and a run id in its environment", async () => {
  const r = await run(fixture("print_env"), { unitMs: 123 });
  assert.equal(r.lines.map((l) => l.text), ["unit 123", `run ${r.runId}`]);
});

test("a harness process that gets SIGTERM kills the runs it had in progress, and does its clean-ups", async () => {
  const p = start(fixture("nested_run"), { deadlineMs: 20_000 });
  const line = await p.waitForLine(/^inner \d+$/);
  const inner = Number(line.text.split(" ")[1]);
  const dir = p.lines.find((l) => l.text.startsWith("dir "))!.text.slice(4);
  assert.not.ok(isDead(inner), "the inner run is alive before");
  assert.ok(existsSync(dir), "its temp folder exists before");
  p.kill("SIGTERM");
  const r = await p.result;
  assert.is(r.signal, "SIGTERM");
  assert.ok(isDead(inner), "the inner run died with its harness");
  assert.not.ok(existsSync(dir), "its temp folder was removed");
  assert.equal(r.leftovers, []);
});

test.run();
