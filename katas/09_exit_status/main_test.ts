// Tests of kata 09: run main.ts (given) with your status.ts, and check what it
// reports about each child against what the harness saw of that child.
import { constants } from "node:os";
import { assertFinished, assertNothingLeft, fail, kataSuite, ms, once } from "../../harness/mod.ts";
import { childOf, expectReport, report, reportOf } from "./_support/report.ts";

const { test, program } = kataSuite(import.meta.url, { unitMs: 100, deadlineMs: 20_000 });
const SIGTERM = constants.signals.SIGTERM;
const SIGKILL = constants.signals.SIGKILL;

const running = once(async () => program.start("main.ts"));
const finished = once(async () => (await running()).result);

const ALIVE_HINT = "A child is alive until it has ended and Node has reaped it, which is when \"exit\" " +
  "fires and child.exitCode or child.signalCode is set.";

test("a running child is alive and has no exit code yet", async () => {
  const rep = await reportOf(await running(), "sleeper started");
  expectReport(rep, true, null, ALIVE_HINT + " Until then Python's exitcode is None: return null.");
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
  const hints: Record<string, string> = {
    "null": "A child ended by a signal has exitCode null and signalCode \"SIGTERM\": turn the name into " +
      "its number with constants.signals, and negate it.",
    [String(-SIGKILL)]: `terminate() sent SIGKILL (${SIGKILL}). Python's terminate() sends SIGTERM ` +
      `(${SIGTERM}), which a child may catch to clean up; SIGKILL is kill().`,
    [String(128 + SIGTERM)]: `${128 + SIGTERM} is how a shell reports a signal (128 + ${SIGTERM}); Python ` +
      `reports minus the signal number.`,
    [String(SIGTERM)]: "Python reports a signal as a negative number, so that it cannot be mistaken for an exit code.",
  };
  expectReport(rep, false, -SIGTERM, hints[rep.exitcode] ?? "Report minus the number of the signal that ended the child.");
});

test("exitcode is 0 after a clean exit, and the code passed to exit otherwise", async () => {
  const r = await finished();
  for (const [name, code] of [["ok", 0], ["fails", 3]] as const) {
    const rep = report(r, name);
    childOf(r, rep);
    expectReport(rep, false, code, "A child that exited by itself has its code in child.exitCode, and " +
      "signalCode null.");
  }
});

test("exitcode is minus the signal number when a signal ended the child", async () => {
  const r = await finished();
  const rep = report(r, "killed");
  childOf(r, rep);
  expectReport(rep, false, -SIGKILL, `main.ts killed this child with SIGKILL (${SIGKILL}). Node then ` +
    "sets signalCode to the signal's name and leaves exitCode null; the child is not alive, and Python's " +
    `exitcode says -${SIGKILL}: look the name up in constants.signals and negate its number.`);
});

test("main.ts exits with code 0 and leaves nothing behind", async () => {
  const r = await finished();
  assertFinished(r);
  assertNothingLeft(r);
});

test.run();
