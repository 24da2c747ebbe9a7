// Private helpers of kata 14's tests: the job's processes in the observed tree,
// and the runner's lines.
import {
  currentParent,
  fail,
  findLine,
  isLoaderHelper,
  type OutputLine,
  parentHistory,
  type ProcessRecord,
  type RunResult,
} from "../../../harness/mod.ts";

/** The job every timeout test runs: two plain workers, a stubborn one, a tidy one. */
export const JOB = new URL("./job.sh", import.meta.url).pathname;

/** The processes of a run of the job, by role. */
export interface JobTree {
  /** The runner's child: the shell running job.sh. */
  job: ProcessRecord;
  plain: ProcessRecord[];
  stubborn: ProcessRecord | undefined;
  /** The tidy worker: the job's child that runs job.sh too (a subshell). */
  tidy: ProcessRecord | undefined;
  /** Every process below the job. */
  below: ProcessRecord[];
}

const sleeping = (p: ProcessRecord, seconds: string) => p.argv[0] === "sleep" && p.argv[1] === seconds;

/** The job and its workers in a (finished or running) run's records; a lesson if there is no job. */
export function jobTree(records: ProcessRecord[], runnerPid: number): JobTree {
  const job = records.find((p) => p.ppid === runnerPid && p.pid !== runnerPid && !isLoaderHelper(p.argv));
  if (!job) {
    return fail(`The harness saw no child process of the runner (pid ${runnerPid}).`, {
      hint: "spawn() the command: its first word is the program, the rest its arguments.",
    });
  }
  const below: ProcessRecord[] = [];
  for (const p of records) {
    if (p.pid === job.pid || below.includes(p)) continue;
    if (p.ppid === job.pid || below.some((b) => b.pid === p.ppid)) below.push(p);
  }
  const workers = below.filter((p) => p.ppid === job.pid);
  return {
    job,
    plain: workers.filter((p) => sleeping(p, "600")),
    stubborn: workers.find((p) => sleeping(p, "601")),
    tidy: workers.find((p) => p.argv.some((a) => a.endsWith("job.sh"))),
    below,
  };
}

/** A process in words for messages: "pid 42 (sleep 601)". */
export function named(p: ProcessRecord): string {
  return `pid ${p.pid} (${p.argv.join(" ")})`;
}

/** How a process's parent changed, for messages: ", adopted by pid 1" or "". */
export function adoption(p: ProcessRecord): string {
  return currentParent(p) === p.ppid ? "" : `, adopted after its parent died (parents: ${parentHistory(p)})`;
}

/** The runner's line announcing `signal`, if it printed one. */
export function signalLine(r: RunResult, signal: "SIGTERM" | "SIGKILL"): OutputLine | undefined {
  return findLine(r, new RegExp(`^runner: .*: ${signal} to group \\d+$`));
}

/** Whether the harness found `p` still alive after the runner had exited (and then killed it). */
export function outlived(r: RunResult, p: ProcessRecord): boolean {
  return r.leftovers.some((l) => l.pid === p.pid) || r.aliveAtDeadline.some((l) => l.pid === p.pid);
}
