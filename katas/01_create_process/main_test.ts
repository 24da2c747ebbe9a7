// Tests of kata 01: run main.ts as a real process and look at the tree it made.
import {
  assertFinished,
  assertNothingLeft,
  childrenOf,
  fail,
  findLine,
  kataSuite,
  once,
  type ProcessRecord,
  type RunResult,
} from "../../harness/mod.ts";

const { test, program } = kataSuite(import.meta.url, { unitMs: 150, deadlineMs: 8000 });

const mainRun = once(() => program.run("main.ts", { allowLeftovers: true, allowFailure: true }));

/** The observed child of the program running task.ts with `name`; fails with a lesson if absent. */
function child(r: RunResult, name: string, how: string): ProcessRecord {
  const kids = childrenOf(r, r.pid);
  const found = kids.find((p) => p.argv.includes(name) && p.argv.some((a) => a.endsWith("task.ts")));
  if (found) return found;
  const seen = kids.length === 0
    ? "no child process at all"
    : kids.map((p) => `pid ${p.pid} (${p.argv.slice(-2).join(" ")})`).join(", ");
  return fail(
    `Expected a child process of main.ts (pid ${r.pid}) running task.ts "${name}", ` +
      `but the harness saw ${seen}.`,
    { hint: `Did you ${how}? Calling the task's code directly runs it in the same process.` },
  );
}

test("each child is a distinct real process whose parent is the program", async () => {
  const r = await mainRun();
  const forked = child(r, "forked", 'fork(TASK, ["forked"])');
  const spawned = child(r, "spawned", "spawn(process.execPath, [...process.execArgv, TASK, \"spawned\"])");
  if (forked.pid === spawned.pid || forked.pid === r.pid) {
    fail(`Expected three distinct pids, got main ${r.pid}, forked ${forked.pid}, spawned ${spawned.pid}.`);
  }
});

test("the program reports the pids its children really have", async () => {
  const r = await mainRun();
  const forked = child(r, "forked", "fork the task");
  const spawned = child(r, "spawned", "spawn the task");
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
  for (const [name, p] of [["forked", child(r, "forked", "fork the task")], [
    "spawned",
    child(r, "spawned", "spawn the task"),
  ]] as const) {
    if (p.lastAlive === undefined || line.at >= p.lastAlive) {
      fail(
        `Expected main's line while the ${name} child was still running, but it arrived at ` +
          `${Math.round(line.at)} ms and the child was last seen alive at ` +
          `${Math.round(p.lastAlive ?? p.firstSeen)} ms.`,
        { hint: "Starting a child does not wait for it: print right after starting both, without awaiting them." },
      );
    }
  }
});

test("the program exits only after both children finished their work", async () => {
  const r = await mainRun();
  if (r.timedOut) assertFinished(r);
  for (const name of ["forked", "spawned"]) {
    const p = child(r, name, "start the task");
    if (!findLine(r, `task ${name}: done`)) {
      fail(`The ${name} child never printed "task ${name}: done": it was cut off before its work ended.`, {
        hint: "Did main.ts call process.exit() or kill its children? Let Node wait for them.",
      });
    }
    const rootEnd = r.durationMs;
    if (p.lastAlive !== undefined && p.lastAlive > rootEnd) {
      fail(`The ${name} child (pid ${p.pid}) was still alive at ${Math.round(p.lastAlive)} ms, ` +
        `after main.ts exited at ${Math.round(rootEnd)} ms: it was orphaned.`);
    }
  }
  assertNothingLeft(r);
});

test("the program exits with code 0", async () => {
  assertFinished(await mainRun());
});

test.run();
