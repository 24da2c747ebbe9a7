// Tests of kata 14: run runner.ts on real jobs (sh and sleep) and judge from the
// kernel's side which processes got which signal, and which outlived the runner.
import {
  assertFinished,
  assertNothingLeft,
  fail,
  findLine,
  kataSuite,
  ms,
  once,
} from "../../harness/mod.ts";
import { adoption, JOB, jobTree, named, outlived, signalLine } from "./_support/job.ts";

const UNIT_MS = 100;
/** Long enough for the shell to start its four workers, even on a loaded machine. */
const TIMEOUT_UNITS = 30;
/** The tidy worker's clean-up takes this long, well within the grace period. */
const CLEANUP_UNITS = 3;
const GRACE_UNITS = 20;
/** For the job that ends in time: a timeout far beyond its end. */
const QUICK_TIMEOUT_UNITS = 60;
/** How long the harness lets the job's processes outlive the runner before it calls them left behind. */
const HARNESS_GRACE_MS = 1500;

/** Generous: with the machine's 2 cores at a load of 100, a TypeScript program took 25 s to start. */
const DEADLINE_MS = 180_000;
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: DEADLINE_MS, graceMs: HARNESS_GRACE_MS });

const runJob = (timeoutUnits: number, command: string[]) =>
  program.start("runner.ts", {
    args: ["--timeout-units", String(timeoutUnits), "--grace-units", String(GRACE_UNITS), "--", ...command],
  });
const slow = once(async () => runJob(TIMEOUT_UNITS, ["sh", JOB, String((CLEANUP_UNITS * UNIT_MS) / 1000)]));
const slowResult = once(async () => (await slow()).result);
const quick = once(async () => (await runJob(QUICK_TIMEOUT_UNITS, ["sh", "-c", "sleep 0.1; exit 3"])).result);

const GROUP_HINT = "A negative pid names a process group: process.kill(-pgid, signal) reaches every process in it, " +
  "the job's workers too, even after the job itself has died.";

test("the job leads a process group and a session of its own, and its workers are in its group", async () => {
  const running = await slow();
  void quick(); // runs beside this one, for a later test
  await running.waitForLine(/^job: 4 workers started$/).catch((err: Error) => fail(err.message));
  const t = jobTree(running.tree.records(), running.pid);
  const runner = running.tree.records().find((p) => p.pid === running.pid);
  if (t.job.pgrp !== t.job.pid || t.job.session !== t.job.pid) {
    fail(`The job (${named(t.job)}) is in process group ${t.job.pgrp} and session ${t.job.session}` +
      (runner ? `, the runner's are ${runner.pgrp} and ${runner.session}` : "") +
      `: it has no group of its own, so a signal to its group would reach the runner too, or nothing.`, {
      hint: "spawn(..., { detached: true }) makes the child call setsid(): it then leads a new session and a " +
        "new process group, each with the child's pid as its id.",
    });
  }
  for (const w of t.below) {
    if (w.pgrp !== t.job.pid) fail(`Worker ${named(w)} is in process group ${w.pgrp}, not the job's (${t.job.pid}).`);
  }
});

test("a job that ends in time is left alone: no signal, and its exit code is reported", async () => {
  const r = await quick();
  assertFinished(r);
  const ended = findLine(r, /^runner: job ended /);
  if (ended?.text !== "runner: job ended with code 3") {
    fail(`The job exits with code 3 after 0.1 s; expected "runner: job ended with code 3", but the runner ` +
      `printed ${ended ? `"${ended.text}"` : "no such line"}.`);
  }
  const late = signalLine(r, "SIGTERM") ?? signalLine(r, "SIGKILL");
  if (late) {
    fail(`The job ended at ${ms(ended.at)}, well before its ${QUICK_TIMEOUT_UNITS}-unit timeout, yet at ` +
      `${ms(late.at)} the runner printed "${late.text}": the timeout's timer was still armed.`, {
      hint: "Cancel the timer (clearTimeout, or abort it) as soon as the job ends. A timer left armed keeps the " +
        "runner waiting, and then signals a group that is gone, or one that a new process has taken its id for.",
    });
  }
  assertNothingLeft(r);
});

test("at the timeout the whole group gets SIGTERM: the workers end too, not only the job", async () => {
  const r = await slowResult();
  const t = jobTree(r.tree, r.pid);
  const term = signalLine(r, "SIGTERM");
  if (r.signal === "SIGTERM" && !findLine(r, /^runner: job ended/)) {
    fail(`The runner itself was killed by SIGTERM at its timeout: it signalled its own process group.`, {
      hint: `process.kill(0, ...) and process.kill(-process.pid, ...) name the caller's own group. ${GROUP_HINT}`,
    });
  }
  if (!term) {
    const kill = signalLine(r, "SIGKILL");
    fail(kill
      ? `The runner never sent SIGTERM: at the timeout it printed "${kill.text}" straight away.`
      : `The job sleeps for ever, but the runner never printed "runner: timeout after ${TIMEOUT_UNITS} units: ` +
        `SIGTERM to group <pgid>".`, {
      hint: kill
        ? "SIGKILL cannot be caught: nobody gets to clean up. Send SIGTERM first, and SIGKILL only to what is " +
          "left after a grace period."
        : `Race the job's end against a timer of timeoutUnits; when the timer wins, signal the job's group.`,
    });
  }
  const left = t.plain.filter((w) => outlived(r, w));
  if (left.length > 0) {
    fail(`${left.length} plain worker(s) of the job were still running after the runner had exited: ` +
      `${left.map((w) => named(w) + adoption(w)).join("; ")}. The signals reached the job alone: its ` +
      `workers were orphaned and adopted, and ran on.`, { hint: GROUP_HINT + " Signal the process group." });
  }
  if (t.plain.length !== 2) fail(`Expected the job's 2 plain workers (sleep 600), but the harness saw ${t.plain.length}.`);
});

test("a worker that catches SIGTERM finishes its clean-up within the grace period", async () => {
  const r = await slowResult();
  const term = signalLine(r, "SIGTERM") ?? fail("The runner never sent SIGTERM.");
  const kill = signalLine(r, "SIGKILL");
  const cleaning = findLine(r, "tidy: SIGTERM, cleaning up");
  const cleaned = findLine(r, "tidy: cleaned up");
  if (cleaned) return;
  const gap = kill ? ` The runner sent SIGKILL ${ms(kill.at - term.at)} after SIGTERM.` : "";
  const what = cleaning
    ? "began its clean-up after the SIGTERM, but never finished it"
    : "never even began its clean-up after the SIGTERM";
  fail(`The tidy worker ${what} (it takes ${CLEANUP_UNITS} units, ${ms(CLEANUP_UNITS * UNIT_MS)}).${gap}`, {
    hint: `SIGTERM asks; give the group a grace period (graceUnits, here ${GRACE_UNITS}) to clean up and end, ` +
      "and send SIGKILL only if something is still there when it is over.",
  });
});

test("a worker that ignores SIGTERM is killed with SIGKILL once the grace period is over", async () => {
  const r = await slowResult();
  const t = jobTree(r.tree, r.pid);
  signalLine(r, "SIGTERM") ?? fail("The runner never sent SIGTERM.");
  const stubborn = t.stubborn ?? fail("The harness saw no stubborn worker (sleep 601) in the job.");
  if (outlived(r, stubborn)) {
    fail(`The stubborn worker ${named(stubborn)} ignores SIGTERM, and was still running after the runner had ` +
      `exited${adoption(stubborn)}. ${signalLine(r, "SIGKILL") ? "" : "The runner never sent SIGKILL. "}` +
      `The job itself had ended at the SIGTERM, but its group had not.`, {
      hint: "A process may ignore SIGTERM. After the grace period, ask whether the group still has a process " +
        "(signal 0) rather than whether the job ended, and send what is left SIGKILL.",
    });
  }
  if (!signalLine(r, "SIGKILL")) fail("The stubborn worker ended, yet the runner never said it sent SIGKILL.");
});

test("the runner exits with code 0, and no process of the job outlives it", async () => {
  const r = await slowResult();
  const ended = findLine(r, /^runner: job ended by SIG(TERM|KILL)$/);
  if (!ended) {
    fail(`Expected "runner: job ended by SIGTERM" (the shell ends at the SIGTERM), but the runner printed ` +
      `${findLine(r, /^runner: job ended/)?.text ?? "no such line"}.`);
  }
  assertFinished(r);
  assertNothingLeft(r, { hint: GROUP_HINT });
});

test.run();
