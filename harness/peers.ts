// Peers that kata tests start beside the learner's program, as runs of their
// own so that the harness observes them and cleans them up: a Python program
// (the classic tutorials' own clients and servers), and a holder that keeps a
// program's stdin open after the program ends.
//
//   const server = startPython(join(SUPPORT, "classic_server.py"), ["127.0.0.1", "0"], { interactive: true });
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type RunningProgram, type RunOptions, start } from "./run.ts";

const PYTHON = fileURLToPath(new URL("./fixtures/python.ts", import.meta.url));
const HOLD_STDIN = fileURLToPath(new URL("./fixtures/hold_stdin.ts", import.meta.url));
/** The line the holder prints when the program it holds ends: `hold_stdin: the server ended (<code or signal>)`. */
export const HELD_PROGRAM_ENDED = /^hold_stdin: the server ended/;

let python: boolean | undefined;

/** Whether python3 runs on this machine (asked once). */
export function hasPython(): boolean {
  python ??= spawnSync("python3", ["--version"]).status === 0;
  return python;
}

/**
 * Starts `python3 -u <script> <args>` through a small Node fixture that puts it
 * in a group of its own, so that SIGTERM or the run's clean-up ends it and
 * everything it forked.
 */
export function startPython(script: string, args: string[] = [], options: RunOptions = {}): RunningProgram {
  return start(PYTHON, { ...options, args: [script, ...args] });
}

/**
 * Starts the `.ts` program `file` as the child of a holder that shares its
 * stdin and stays alive after it ends, so that stdin stays open: a test can
 * then tell a process that ends with its parent from one that merely ran out
 * of input. The holder prints a line matching {@link HELD_PROGRAM_ENDED} when the program ends.
 */
export function startHoldingStdin(file: string, args: string[] = [], options: RunOptions = {}): RunningProgram {
  return start(HOLD_STDIN, { ...options, interactive: true, args: [file, ...args] });
}
