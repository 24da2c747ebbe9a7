// Tests of kata 09: run main.ts (given) with your status.ts, and check what it
// reports about each child against what the harness saw of that child.
import { constants } from "node:os";
import { assertFinished, assertNothingLeft, fail, kataSuite, ms, once, type RunResult } from "../../harness/mod.ts";
import { childOf, expectReport, findReport, report, reportOf } from "./_support/report.ts";

// The deadline only stops a hung program: on a loaded machine four TypeScript start-ups can take 20 s.
const { test, program } = kataSuite(import.meta.url, { unitMs: 100, deadlineMs: 60_000 });
const SIGTERM = constants.signals.SIGTERM;
const SIGKILL = constants.signals.SIGKILL;

const running = once(async () => program.start("main.ts"));
const finished = once(async () => (await running()).result);

const ALIVE_HINT = "A child is alive until it has ended and Node has reaped it, which is when \"exit\" " +
  "fires and child.exitCode or child.signalCode is set.";

test("a running child is alive and has no exit code yet", async () => {
  const rep = await reportOf(await running(), "sleeper started");
  expectReport(rep, true, null, ALIVE_HINT + " Until then Python's exitcode is None: return null." +
    (rep.exitcode === "NaN" ? " NaN comes from looking up a signal that is not there: signalCode is null " +
      "while the child runs, and constants.signals[null] is undefined." : ""));
});

test("right after terminate() the child is still alive: the signal is only on its way", async () => {
  const rep = await reportOf(await running(), "sleeper terminated");
  expectReport(rep, true, null, "kill() sends the signal and returns at once; the child ends a moment " +
    "later. child.killed turns true as soon as the signal is sent, so it cannot tell whether the child " +
    `still runs. ${ALIVE_HINT}`);
});

test("after join() the terminated child is gone, and its exitcode is minus SIGTERM's number", async () => {
  const r = await finished();
  const rep = report(r, "sleeper joined");
  const sleeper = childOf(r, rep);
  if ((sleeper.lastAlive ?? 0) > rep.line.at) {
    fail(`The sleeper (pid ${sleeper.pid}) was still running when main.ts printed "${rep.line.text}" at ` +
      `${ms(rep.line.at)}: it was seen alive until ${ms(sleeper.lastAlive!)}.`, {
      hint: rep.alive === "false"
        ? "isAlive() said false for a running child, so join() did not wait. It must say true until the " +
          "child has ended, and terminate() must send SIGTERM."
        : "join() gave up waiting: terminate() must send the child SIGTERM, and the sleeper does not end by itself.",
    });
  }
  if (rep.alive !== "false") {
    fail(`isAlive() said ${rep.alive} after join(), but the sleeper (pid ${sleeper.pid}) had ended: it was ` +
      `last seen alive at ${ms(sleeper.lastAlive ?? sleeper.firstSeen)}, and main.ts printed ` +
      `"${rep.line.text}" at ${ms(rep.line.at)}.`, {
      hint: "A child ended by a signal keeps exitCode null; Node sets signalCode instead.",
    });
  }
  expectReport(rep, false, -SIGTERM, terminatedHint(r, rep.exitcode));
});

test("exitcode is 0 after a clean exit, and the code passed to exit otherwise", async () => {
  const r = await finished();
  for (const [name, code] of [["ok", 0], ["fails", 3]] as const) {
    const rep = report(r, name);
    childOf(r, rep);
    const falsy = code === 0 && (rep.exitcode === "null" || rep.alive === "true");
    expectReport(rep, false, code, "A child that exited by itself has its code in child.exitCode, and " +
      "signalCode null." + (falsy ? " 0 is an exit code too, the one for success, but it is falsy: a test " +
        "such as `if (child.exitCode)` or `||` takes it for no code at all. Compare with null." : ""));
  }
});

test("exitcode is minus the signal number when a signal ended the child", async () => {
  const r = await finished();
  const rep = report(r, "killed");
  childOf(r, rep);
  const fixed = rep.exitcode === String(-SIGTERM)
    ? ` It said ${-SIGTERM} for both the terminated sleeper and this child: the number must come from the ` +
      "signal that ended each one, not be written in the code."
    : "";
  expectReport(rep, false, -SIGKILL, `main.ts killed this child with SIGKILL (${SIGKILL}). Node then ` +
    "sets signalCode to the signal's name and leaves exitCode null; the child is not alive, and Python's " +
    `exitcode says -${SIGKILL}: look the name up in constants.signals and negate its number.${fixed}`);
});

test("main.ts exits with code 0 and leaves nothing behind", async () => {
  const r = await finished();
  assertFinished(r);
  assertNothingLeft(r);
});

/**
 * The lesson for a terminated sleeper that reported `exitcode`: which signal
 * terminate() sent, when the "killed" report shows the reporting is right, or
 * how to report a signal, when it is not.
 */
function terminatedHint(r: RunResult, exitcode: string): string {
  const n = -Number(exitcode);
  const name = Object.entries(constants.signals).find(([, number]) => number === n)?.[0];
  // main.ts's own SIGKILL, reported as -9, shows that signals are reported right.
  const killedRight = findReport(r, "killed")?.exitcode === String(-SIGKILL);
  if (name && killedRight) {
    return `It reports ${exitcode}, minus the number of ${name}, so the report is right but the signal is wrong: ` +
      `terminate() sent ${name} (${n}). Python's terminate() sends SIGTERM (${SIGTERM}), the polite request ` +
      "that a child may catch to clean up" + (n === SIGKILL ? "; SIGKILL, which it cannot catch, is kill()." : ".");
  }
  const hints: Record<string, string> = {
    "null": "A child ended by a signal has exitCode null and signalCode \"SIGTERM\": turn the name into " +
      "its number with constants.signals, and negate it.",
    [String(128 + SIGTERM)]: `${128 + SIGTERM} is how a shell reports a signal (128 + ${SIGTERM}); Python ` +
      `reports minus the signal number.`,
    [String(SIGTERM)]: "Python reports a signal as a negative number, so that it cannot be mistaken for an exit code.",
  };
  return hints[exitcode] ?? "Report minus the number of the signal that ended the child (constants.signals).";
}

test.run();
