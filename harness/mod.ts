/**
 * The harness that kata tests use: run a learner's program as a real process
 * tree, observe the tree from the kernel, and check it structurally.
 *
 * @module
 */
export {
  DEFAULT_DEADLINE_MS,
  DEFAULT_GRACE_MS,
  DEFAULT_UNIT_MS,
  type OutputLine,
  run,
  type RunningProgram,
  type RunOptions,
  type RunResult,
  start,
} from "./run.ts";
export {
  currentParent,
  type ObserverInfo,
  observeTree,
  type ParentChange,
  parentHistory,
  type ProcessRecord,
  type ThreadRecord,
  type TreeObserver,
} from "./tree.ts";
export { describeProcess, findMarked, killMarked, type ProcessSnapshot } from "./cleanup.ts";
export {
  aliveInterval,
  assertAtLeast,
  assertBelow,
  assertInOrder,
  assertOverlap,
  type CheckOptions,
  fail,
  type Failure,
  type FailureKind,
  type Interval,
  KataCheckError,
  ms,
} from "./timing.ts";
export {
  assertFinished,
  assertNoCrash,
  assertNothingLeft,
  childrenOf,
  crashOf,
  type CrashOptions,
  describeDeadline,
  describeEnd,
  describeTree,
  findLine,
  processesWithArg,
  readableStderr,
  stderrTail,
  stdoutLines,
} from "./checks.ts";
export {
  type KataOptions,
  type KataProgram,
  type KataRunOptions,
  type KataStartOptions,
  kataProgram,
  kataSuite,
  type KataSuite,
  once,
  type TestReport,
} from "./kata.ts";
export { isLoaderHelper, loaderName, nodeRunsTypeScript } from "./_loader.ts";
export { HELD_PROGRAM_ENDED, hasPython, startHoldingStdin, startPython } from "./peers.ts";
export { tempDir } from "./temp_dir.ts";
export { type ProcStat, readStat } from "./_proc.ts";
export { canSeeSockets, type HeldSocket, socketsHeld } from "./sockets.ts";
export { drawTimeline, type RunTrace, type TimelineOptions, traceOf } from "./timeline.ts";
export { programName } from "./timeline.ts";
