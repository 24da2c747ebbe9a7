// Tests of kata 13: run main.ts with your Process class, and judge each of its
// children from the kernel's side: who its parent is, what title it shows, how
// it ended.
import { constants } from "node:os";
import {
  assertFinished,
  assertNothingLeft,
  fail,
  isLoaderHelper,
  kataSuite,
  once,
} from "../../harness/mod.ts";
import {
  childNamed,
  childrenOf,
  expectReport,
  lineOf,
  lineWhile,
  reportedChild,
  reportOf,
  SOON_MS,
  titleOf,
  waitForChildNamed,
} from "./_support/observe.ts";

const UNIT_MS = 100;
const GREETERS = 2;
/** Generous: with the machine's 2 cores at a load of 100, five TypeScript children took 65 s to start. */
const DEADLINE_MS = 240_000;
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: DEADLINE_MS });
const running = once(async () => program.start("main.ts", { args: [String(GREETERS)] }));
const finished = once(async () => (await running()).result);
/** start() calls of main.ts: the greeters, an exit, a sleeper and a victim. */
const STARTS = GREETERS + 3;
/** How long a title may take to show in /proc once the child has said its run() began. */
const TITLE_WAIT_MS = 2000;
const greeterNames = Array.from({ length: GREETERS }, (_, i) => `greeter-${i}`);

const START_HINT = "start() forks the main module (MAIN) and sends the child its order (orderFor(this)); " +
  "the child's side (bootstrap) runs p.run() there.";

test("run() called directly runs the target in the calling process, and starts no child", async () => {
  const r = await running();
  const line = await lineOf(r, /^greet: \S+, main, from pid \d+$/, "run() calls the target with the args, " +
    "then the kwargs object: target(...args, kwargs). Called directly, it is an ordinary method call.");
  const pid = Number(/pid (\d+)$/.exec(line.text)![1]);
  if (pid !== r.pid) {
    fail(`"${line.text}" came from pid ${pid}, but main.ts is pid ${r.pid}: calling run() directly started ` +
      `another process.`, { hint: "run() is what the child does; called directly it must run the target right " +
      "here. Only start() makes a child." });
  }
  const inline = childNamed(r, "inline");
  if (inline) fail(`Calling run() made a child process (pid ${inline.pid}) titled "inline".`);
});

test("start() makes one child per Process, and no child starts children of its own", async () => {
  const r = await running();
  const noGrandchildren = () => {
    const kids = childrenOf(r, r.pid);
    const grandchildren = kids.flatMap((k) => childrenOf(r, k.pid));
    const refused = r.lines.find((l) => l.stream === "stderr" && l.text.startsWith("spawn.ts: "));
    if (grandchildren.length === 0 && !refused) return;
    const g = grandchildren[0];
    fail((g
      ? `Child ${g.ppid} of main.ts started a child of its own (pid ${g.pid}): ${grandchildren.length} ` +
        `grandchildren so far.`
      : `A child of main.ts tried to start a process of its own:\n  ${refused!.text}\n`) +
      ` Every child runs main.ts again from the top, so a child that reaches the code that starts processes ` +
      `starts its own, and they theirs, for ever (spawn.ts stops such a chain).`, {
      hint: "Put the code that starts children under the guard, as Python puts it under " +
        "`if __name__ == \"__main__\":`. isMainProcess() is false in every child.",
    });
  };
  const reported = await lineWhile(r, new RegExp(`^main: greeter-${GREETERS - 1} pid`), `After starting and ` +
    `joining the ${GREETERS} greeters, main.ts reports each of them. ${START_HINT}`, noGrandchildren)
    .then(() => undefined, (err: unknown) => err);
  const kids = childrenOf(r, r.pid);
  if (kids.length === 0) {
    const lines = r.lines.filter((l) => /^greet: .*, child \d+, from pid \d+$/.test(l.text));
    fail(`main.ts started ${GREETERS} greeters, but the harness saw no child process of main.ts (pid ${r.pid})` +
      (lines.length > 0 ? `; the greetings came from pid ${lines.map((l) => l.text.split(" ").at(-1)).join(", ")}.` : ".") +
      ` The work ran in the main process itself.`, { hint: `start() must make a new process. ${START_HINT}` });
  }
  if (reported) throw reported;
  const pids = new Set<number>();
  for (const name of greeterNames) {
    const rep = await reportOf(r, name, "", START_HINT);
    pids.add(reportedChild(r, rep).pid);
  }
  if (pids.size !== GREETERS) {
    fail(`Expected ${GREETERS} distinct children for ${GREETERS} greeters, but main.ts reported the pids ` +
      `${[...pids].join(", ")}.`, { hint: "Each start() forks one child of its own." });
  }
});

test("the target runs in the child to its end, even an async one", async () => {
  const r = await running();
  await lineOf(r, new RegExp(`^main: greeter-${GREETERS - 1} pid`), START_HINT);
  const kids = new Set(childrenOf(r, r.pid).map((k) => k.pid));
  for (let i = 0; i < GREETERS; i++) {
    const hello = r.lines.find((l) => new RegExp(`^greet: .*, child ${i}, from pid (\\d+)$`).test(l.text));
    const pid = Number(hello?.text.split(" ").at(-1));
    if (!hello || !kids.has(pid)) continue; // no child, or not greeting: judged by the tests before and after
    const goodbye = `greet: goodbye, child ${i}, from pid ${pid}`;
    if (r.lines.some((l) => l.text === goodbye)) continue;
    fail(`greet() says hello, works for 2 units and says goodbye, but the child pid ${pid} said "${hello.text}" ` +
      `and never "${goodbye}".`, {
      hint: "The child ended while its run() was still at work: run() returns the target's promise; await it " +
        "before the child exits.",
    });
  }
});

test("each child shows its Process's name as its title in /proc, from before its run() begins", async () => {
  const r = await running();
  // The victim sleeps until the tests kill it: once it says so, its run() has begun.
  const sleeping = await lineOf(r, /^victim: sleeping in pid \d+$/, START_HINT);
  const pid = Number(sleeping.text.split(" ").at(-1));
  const titled = await waitForChildNamed(r, "victim", TITLE_WAIT_MS);
  await lineOf(r, new RegExp(`^main: greeter-${GREETERS - 1} pid`), START_HINT);
  const missing = titled?.pid === pid ? greeterNames.find((name) => !childNamed(r, name)) : "victim";
  if (missing === undefined) return;
  const root = r.tree.records().find((p) => p.pid === r.pid);
  const seen = childrenOf(r, r.pid).map((k) => `pid ${k.pid} "${titleOf(k)}"`).join(", ");
  if (root && root.argv.length > 0 && !root.argv.some((a) => a.endsWith("main.ts"))) {
    fail(`No child of main.ts showed the title "${missing}"; instead main.ts itself (pid ${r.pid}) is now titled ` +
      `"${titleOf(root)}". The children showed: ${seen}.`, {
      hint: "process.title renames the process that sets it: set it in the child, from the name it was sent.",
    });
  }
  fail(`No child of main.ts showed the title "${missing}" in /proc/<pid>/cmdline` +
    (missing === "victim" ? `, though the victim (pid ${pid}) had begun its run(): "${sleeping.text}"` : "") +
    `. Its children showed: ${seen}.`, {
    hint: "In the child, set process.title to the Process's name before running it: ps, top and /proc then " +
      "show which process is which while it works.",
  });
});

test("the target gets its args and kwargs in the child", async () => {
  const r = await running();
  await lineOf(r, new RegExp(`^main: greeter-${GREETERS - 1} pid`), START_HINT);
  for (const [i, name] of greeterNames.entries()) {
    const child = childNamed(r, name) ?? fail(`No child of main.ts showed the title "${name}".`);
    const expected = `greet: good day, child ${i}, from pid ${child.pid}`;
    const line = r.lines.find((l) => l.text.startsWith(`greet: `) && l.text.endsWith(`from pid ${child.pid}`));
    if (line?.text !== expected) {
      fail(`Expected the child titled "${name}" to print "${expected}", but it printed ` +
        `${line ? `"${line.text}"` : "no greeting"}.`, {
        hint: "The target gets the args, then the kwargs object as one last argument: target(...args, kwargs). " +
          "Both travel to the child in the order that start() sends.",
      });
    }
  }
});

test("exitcode is the child's exit code, and isAlive() is false once it is gone, joined or not", async () => {
  const r = await running();
  for (const name of greeterNames) {
    const rep = await reportOf(r, name, "", START_HINT);
    expectReport(rep, false, 0, "A joined child whose run() returned is not alive, and its exitcode is 0.");
  }
  const rep = await reportOf(r, "exit-3", " gone, not joined", START_HINT);
  reportedChild(r, rep);
  // Exit's run() exits with its own field, code: the field travelled with the object.
  expectReport(rep, false, 3, rep.alive !== "false"
    ? "main.ts waited until the kernel no longer knew the child's pid: it had ended and Node had reaped it, " +
      "without join() and without anyone listening. A child is alive until it is reaped, not until it is joined."
    : "A child that exited by itself has its code in child.exitCode.");
});

test("join() of a child that has already ended returns at once", async () => {
  const r = await running();
  await reportOf(r, "exit-3", " gone, not joined", START_HINT);
  await lineOf(r, /^main: joined exit-3$/, "join() of a child that had ended already never returned. Its " +
    "\"exit\" event fired before join() listened, and fires only once: check isAlive() first.", SOON_MS);
});

test("join(timeout) returns after the timeout while the child runs on", async () => {
  const r = await running();
  await lineOf(r, /^main: joining sleeper pid \d+ for 3 units$/, START_HINT);
  const rep = await reportOf(r, "sleeper", " after join(3 units)", "join(3 units) never returned for a child " +
    "that sleeps for ever: after the timeout, join() must return even though the child still runs.",
    3 * UNIT_MS + SOON_MS);
  reportedChild(r, rep);
  expectReport(rep, true, null, "The sleeper still runs when join(timeout) gives up: alive, and no exitcode yet.");
});

test("terminate() sends SIGTERM: alive right after, exitcode -15 once joined", async () => {
  const r = await running();
  const sigterm = constants.signals.SIGTERM;
  const right = await reportOf(r, "sleeper", " terminated", START_HINT);
  expectReport(right, true, null, "terminate() only sends the signal; the child ends a moment later, and is " +
    "alive until Node has reaped it.");
  const joined = await reportOf(r, "sleeper", " joined", "After terminate(), join() should return once the " +
    "sleeper has ended.", SOON_MS);
  expectReport(joined, false, -sigterm, joined.exitcode === String(-constants.signals.SIGKILL)
    ? `terminate() sent SIGKILL. Python's terminate() sends SIGTERM (${sigterm}), which a child may catch.`
    : `A child ended by a signal has exitCode null and its signal's name in signalCode: exitcode is minus ` +
      `that signal's number (constants.signals).`);
});

test("a child killed by a signal from outside reports minus that signal's number", async () => {
  const r = await running();
  const waiting = await lineOf(r, /^main: waiting for victim pid \d+$/, START_HINT);
  const victim = await waitForChildNamed(r, "victim", DEADLINE_MS);
  if (!victim) {
    fail(`main.ts started the Process named "victim", but no child of main.ts showed that title.`, {
      hint: "Set process.title in the child.",
    });
  }
  if (!waiting.text.endsWith(`pid ${victim.pid}`)) {
    fail(`main.ts printed "${waiting.text}", but the child titled "victim" is pid ${victim.pid}.`);
  }
  // The harness finds it by its title, as `pkill victim` would, and interrupts it.
  process.kill(victim.pid, "SIGINT");
  const rep = await reportOf(r, "victim", " joined", "join() should return once the victim has ended.", SOON_MS);
  const sigint = constants.signals.SIGINT;
  expectReport(rep, false, -sigint, `The harness sent SIGINT (${sigint}) to the victim. A child ended by a ` +
    `signal has no exit code: child.exitCode is null, child.signalCode holds "SIGINT", and Python's exitcode ` +
    `is minus the signal's number.`);
});

test("main.ts exits with code 0, having made one child per start(), and leaves nothing behind", async () => {
  const r = await finished();
  assertFinished(r);
  const kids = r.tree.filter((p) => p.ppid === r.pid && p.pid !== r.pid && !isLoaderHelper(p.argv));
  if (kids.length !== STARTS) {
    fail(`main.ts calls start() ${STARTS} times, but the harness saw ${kids.length} children of it: ` +
      `${kids.map((k) => `pid ${k.pid} "${titleOf(k)}"`).join(", ")}.`, { hint: "Each start() forks one child." });
  }
  assertNothingLeft(r);
});

test.run();
