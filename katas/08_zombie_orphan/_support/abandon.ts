// Checks of kata 08 (d) on a run of abandon.ts: zombies whose parent is killed
// are adopted by another process (pid 1, or a subreaper), which reaps them.
// abandon.ts runs under the harness's stdin holder, a parent that outlives it,
// so that the harness keeps watching the zombies after abandon.ts is killed.
import { setTimeout as sleep } from "node:timers/promises";
import {
  describeProcess, fail, HELD_PROGRAM_ENDED, type KataProgram, ms, type OutputLine, parentHistory,
  type ProcessRecord, type RunResult, startHoldingStdin, stderrTail,
} from "../../../harness/mod.ts";
import { ending, runs } from "./trees.ts";

/** What the harness saw of abandon.ts, its workers and their adoption. */
export interface Abandoned {
  /** The holder's run: its tree holds abandon.ts and the workers to the end. */
  result: RunResult;
  program: ProcessRecord | undefined;
  workers: ProcessRecord[];
  line: OutputLine | undefined;
  /** When the harness sent SIGKILL to abandon.ts; undefined if it had ended by itself. */
  killedAt: number | undefined;
}

/** The harness's limits: start-up with both cores busy, the pause before the kill (a loop that runs reaps at
 * once), and the adopter's reaping (pid 1 here takes about 1.5 s, a subreaper a moment). */
const LIMITS = { startMs: 30_000, settleUnits: 2, adopterMs: 10_000 };
/** abandon.ts forks this many workers. */
const WORKERS = 3;
/** How often the harness looks for the workers' end; by adoptionSeenMs after the kill, they have a new parent. */
const POLL_MS = 20;
const ADOPTION_SEEN_MS = 1000;

const BLOCK_HINT = "Node reaps a dead child whenever its event loop runs, and an await or a timer lets it " +
  "run. Block with blockFor() until every worker is a zombie, and then for ever: only the kill ends the program.";

/** Runs abandon.ts, kills it once it says its workers are zombies, and watches them until they are gone. */
export async function abandonRun(program: KataProgram): Promise<Abandoned> {
  const running = startHoldingStdin(program.path("abandon.ts"), [], {
    unitMs: program.unitMs, deadlineMs: LIMITS.startMs + LIMITS.adopterMs + 10_000,
  });
  let line: OutputLine | undefined;
  let killedAt: number | undefined;
  const find = () => {
    const records = running.tree.records();
    const found = records.find((p) => p.ppid === running.pid && runs(p, "abandon.ts"));
    return { found, workers: records.filter((p) => found && p.ppid === found.pid && runs(p, "worker.ts")) };
  };
  try {
    line = await running.waitForLine(new RegExp(`^abandon: |${HELD_PROGRAM_ENDED.source}`), { timeoutMs: LIMITS.startMs })
      .catch(() => undefined);
    if (line && !HELD_PROGRAM_ENDED.test(line.text)) {
      await sleep(LIMITS.settleUnits * program.unitMs);
      running.tree.sample();
      const { found } = find();
      if (found && found.goneAt === undefined && found.state !== "Z") {
        killedAt = running.now();
        process.kill(found.pid, "SIGKILL");
      }
      const until = running.now() + LIMITS.adopterMs;
      while (find().workers.some((w) => w.goneAt === undefined) && running.now() < until) await sleep(POLL_MS);
    }
  } finally {
    running.kill("SIGTERM");
  }
  const result = await running.result;
  const { found, workers } = find();
  return { result, program: found, workers, line: line && HELD_PROGRAM_ENDED.test(line.text) ? undefined : line, killedAt };
}

/** The program and its three workers, or a lesson. */
function parts(a: Abandoned): { program: ProcessRecord; workers: ProcessRecord[] } {
  const { program, workers } = a;
  if (!program) return fail("The harness saw no process running abandon.ts.");
  if (workers.length !== WORKERS) {
    fail(`Expected abandon.ts (pid ${program.pid}) to fork ${WORKERS} workers, but the harness saw ` +
      `${workers.length}.${ending(a.result)}`, { hint: 'Fork WORKER WORKERS times, each with the argument "0".' });
  }
  if (!a.line) {
    const seen = [program, ...workers].map((p) => `  ${describeProcess(p)}, ${p.endedAt === undefined ? "alive" : `ended by ${ms(p.endedAt)}`}`);
    const tail = stderrTail(a.result);
    fail(`abandon.ts never printed its line "abandon: workers ..." within ${ms(LIMITS.startMs)}. The harness ` +
      `saw:\n${seen.join("\n")}` + (tail ? `\nThe end of stderr:\n${tail}` : ""), {
      hint: "Print the line once stateOf() says zombie for every worker (the workers exit at once).",
    });
  }
  return { program, workers };
}

/** Each worker was a zombie of abandon.ts, not yet reaped, when the harness killed abandon.ts. */
export function zombiesWhenKilled(a: Abandoned): void {
  const { program, workers } = parts(a);
  if (a.killedAt === undefined) {
    return fail(`abandon.ts (pid ${program.pid}) ended by itself, at ${ms(program.endedAt ?? 0)}, before the ` +
      `harness could kill it.${ending(a.result)}`, { hint: BLOCK_HINT });
  }
  const killedAt = a.killedAt;
  for (const w of workers) {
    if (w.goneAt !== undefined && w.goneAt <= killedAt) {
      return fail(`Worker ${w.pid} was reaped by abandon.ts itself (gone by ${ms(w.goneAt)}), before the ` +
        `harness killed abandon.ts at ${ms(killedAt)}: the program's event loop ran, and Node collected the ` +
        "dead child's exit status.", { hint: BLOCK_HINT });
    }
    if (w.zombieFrom === undefined || w.zombieFrom > killedAt || w.parents.some((c) => c.at <= killedAt)) {
      fail(`Worker ${w.pid} was not a zombie of abandon.ts when the harness killed it at ${ms(killedAt)} ` +
        `(zombie from ${w.zombieFrom === undefined ? "never" : ms(w.zombieFrom)}; parents ${parentHistory(w)}).`, {
        hint: "Print the line only once stateOf() says zombie for every worker.",
      });
    }
  }
}

/** After the kill, each zombie gets another parent, which reaps it. */
export function adoptedThenReaped(a: Abandoned): void {
  const { program, workers } = parts(a);
  if (a.killedAt === undefined) return zombiesWhenKilled(a);
  for (const w of workers) {
    if (w.goneAt === undefined) {
      return fail(`Worker ${w.pid} was still a zombie ${ms(LIMITS.adopterMs)} after abandon.ts was killed ` +
        `(parents ${parentHistory(w)}): nobody reaped it.`);
    }
    // The kernel hands the zombie on as soon as the killed parent is gone; a subreaper may reap it
    // before the next sample, so only a zombie seen well after the kill must show its new parent.
    const adopted = w.parents.some((c) => c.ppid !== program.pid && c.at >= a.killedAt!);
    if (!adopted && (w.zombieUntil ?? 0) > a.killedAt + ADOPTION_SEEN_MS) {
      fail(`Worker ${w.pid} was still a zombie at ${ms(w.zombieUntil!)}, after abandon.ts was killed at ` +
        `${ms(a.killedAt)}, yet its parent never changed from ${program.pid}.`);
    }
  }
}

/** abandon.ts's line names its three workers and says each is a zombie. */
export function namesItsZombies(a: Abandoned): void {
  const { workers } = parts(a);
  const m = /^abandon: workers ([\d ]+) are ([a-z ]+); never reaping them$/.exec(a.line!.text);
  const named = m?.[1].split(" ").map(Number).sort() ?? [];
  const seen = workers.map((w) => w.pid).sort();
  const expected = `abandon: workers ${workers.map((w) => w.pid).join(" ")} are zombie zombie zombie; never reaping them`;
  if (named.join(" ") !== seen.join(" ") || m?.[2] !== "zombie zombie zombie") {
    fail(`Expected abandon.ts to print "${expected}" (the pids in any order), but it printed "${a.line!.text}".`, {
      hint: "Print the line once stateOf() says zombie for every pid.",
    });
  }
}
