// Tests of kata 01: run main.ts as a real process and look at the tree it made.
import {
  assertFinished, assertNothingLeft, childrenOf, fail, findLine, kataSuite, ms, once, type ProcessRecord,
  type RunResult, stderrTail,
} from "../../harness/mod.ts";

const UNIT_MS = 150;
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: 60_000 });
/** How long task.ts works once it has started. */
const WORK_UNITS = 2;

const mainRun = once(() => program.run("main.ts", { allowLeftovers: true, allowFailure: true }));

/** How each child is started, for lessons. */
const HOW = {
  forked: 'fork(TASK, ["forked"])',
  spawned: 'spawn(process.execPath, [...process.execArgv, TASK, "spawned"], { stdio: "inherit" })',
} as const;
type Name = keyof typeof HOW;

/** The observed child of the program running task.ts `name`; fails with a lesson if absent. */
function child(r: RunResult, name: Name): ProcessRecord {
  const kids = childrenOf(r, r.pid);
  const runsTask = (p: ProcessRecord) => p.argv.some((a) => a.endsWith("task.ts"));
  const found = kids.find((p) => runsTask(p) && p.argv.includes(name));
  if (found) return found;
  const seen = kids.length === 0
    ? "no child process at all"
    : kids.map((p) => `pid ${p.pid} (${p.argv.slice(-2).join(" ") || "seen only once it had ended"})`).join(", ");
  const nameless = kids.some((p) => runsTask(p) && !Object.keys(HOW).some((n) => p.argv.includes(n)));
  return fail(
    `Expected a child process of main.ts (pid ${r.pid}) running task.ts "${name}", ` +
      `but the harness saw ${seen}.`,
    {
      hint: nameless
        ? `A child runs task.ts, but without the name "${name}": pass it as an argument, ${HOW[name]}.`
        : `Did you ${HOW[name]}? Calling the task's code directly runs it in the same process.`,
    },
  );
}

test("each child is a distinct real process whose parent is the program", async () => {
  const r = await mainRun();
  const forked = child(r, "forked");
  const spawned = child(r, "spawned");
  if (forked.pid === spawned.pid || forked.pid === r.pid) {
    fail(`Expected three distinct pids, got main ${r.pid}, forked ${forked.pid}, spawned ${spawned.pid}.`);
  }
});

test("the program reports the pids its children really have", async () => {
  const r = await mainRun();
  const forked = child(r, "forked");
  const spawned = child(r, "spawned");
  const line = findLine(r, /^main: /);
  const expected = `main: pid ${r.pid} started children ${forked.pid} and ${spawned.pid}`;
  if (line?.text !== expected) {
    fail(`Expected main.ts to print "${expected}" (pids as observed), but it printed ` +
      `${line ? `"${line.text}"` : "no line starting with \"main: \""}.`, {
      hint: "The pid of a child is on the object fork() or spawn() returns: child.pid.",
    });
  }
});

test("the program's line comes out before its children end", async () => {
  const r = await mainRun();
  const line = findLine(r, /^main: /);
  if (!line) return fail('main.ts printed no line starting with "main: ".');
  for (const name of ["forked", "spawned"] as const) {
    const p = child(r, name);
    // A child cut off without its "done" line is the next test's lesson: killed a moment after
    // main's line, it can be last seen before that line is read from the pipe.
    if (!findLine(r, `task ${name}: done`)) continue;
    if (p.lastAlive === undefined || line.at >= p.lastAlive) {
      fail(
        `Expected main's line while the ${name} child was still running, but it arrived at ` +
          `${ms(line.at)} and the child was last seen alive at ${ms(p.lastAlive ?? p.firstSeen)}.`,
        { hint: "Starting a child does not wait for it: print right after starting both, without awaiting them." },
      );
    }
  }
});

/**
 * Fails with the lesson that fits what became of a child that did not run its
 * task to the end with its output in the program's: orphaned, crashed, silent
 * (its output in a pipe nobody reads), or cut off.
 */
function judgeChild(r: RunResult, name: Name): void {
  const p = child(r, name);
  const starting = findLine(r, `task ${name}: pid `);
  const done = findLine(r, `task ${name}: done`);
  const lived = (p.lastAlive ?? p.firstSeen) - p.firstSeen;
  // Orphaned first: whatever else happened to it, the program did not wait.
  if (p.lastAlive !== undefined && p.lastAlive > r.durationMs) {
    const killed = r.leftovers.some((l) => l.pid === p.pid) ? ", until the harness killed it" : "";
    fail(
      `The ${name} child (pid ${p.pid}) was still alive at ${ms(p.lastAlive)}, after main.ts exited at ` +
        `${ms(r.durationMs)}: it was orphaned${killed}${done ? "" : " before its work was done"}.`,
      {
        hint: "Node waits for its children unless the program exits on purpose (process.exit()) or lets go " +
          "of them (unref()): let the program simply reach its end.",
      },
    );
  }
  // After main's line, a child that is left alone lives at least its units of work.
  const mainLine = findLine(r, /^main: /);
  const cutShort = mainLine !== undefined && p.lastAlive !== undefined &&
    p.lastAlive - mainLine.at < WORK_UNITS * UNIT_MS;
  if (!starting) {
    const tail = stderrTail(r);
    if (tail) {
      fail(`The ${name} child (pid ${p.pid}) never printed "task ${name}: pid ...": it crashed, and the ` +
        `program's stderr says:\n${tail}`, {
        hint: "Read the error: a path that does not exist names the file Node looked for. TASK is an " +
          "absolute path; a bare \"task.ts\" is looked up in the working directory, wherever that is.",
      });
    }
    if (!cutShort) {
      fail(`The ${name} child (pid ${p.pid}) lived ${ms(lived)}, long enough for its work, and none of its ` +
        `output reached the program's: no "task ${name}: pid ..." line, nothing on stderr.`, {
        hint: `spawn() gives the child pipes for stdio by default, and nobody reads them. ${name === "spawned"
          ? 'Pass stdio: "inherit"'
          : "Leave fork()'s stdio as it is"} so that the child writes to the program's own stdout and stderr.`,
      });
    }
  }
  const expected = `task ${name}: pid ${p.pid}, parent ${r.pid}, starting`;
  if (starting && starting.text !== expected) {
    fail(`Expected the line "${expected}", as observed, but the child printed "${starting.text}".`);
  }
  if (!done) {
    const after = Math.max(0, (p.lastAlive ?? p.firstSeen) - (mainLine?.at ?? 0));
    fail(`The ${name} child (pid ${p.pid}) ended ${ms(after)} after ` +
      `main's line, without "task ${name}: done", while main.ts was still running: something cut it off ` +
      `before its ${WORK_UNITS} units of work.`, {
      hint: "Did main.ts kill its children (child.kill())? A child needs nothing from its parent to end: " +
        "it ends when its work is done.",
    });
  }
}

test("each child runs its task to the end, its output joining the program's", async () => {
  const r = await mainRun();
  if (r.timedOut) assertFinished(r);
  judgeChild(r, "forked");
  judgeChild(r, "spawned");
});

test("the program exits with code 0 and leaves nothing behind", async () => {
  const r = await mainRun();
  assertFinished(r);
  assertNothingLeft(r);
});

test.run();
