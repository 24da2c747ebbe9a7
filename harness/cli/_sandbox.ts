// For the CLI's tests: a throwaway workspace (copies of katas and their solutions,
// links to the real harness/ and node_modules/) and the CLI run in it as a real process.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { listPids, readArgv, readStat } from "../_proc.ts";
import { ROOT, ROOT_VAR } from "../katas.ts";
import { type OutputLine, type RunningProgram, type RunResult, start } from "../run.ts";
import { tempDir } from "../temp_dir.ts";
import { FIXTURE, FIXTURE_TWO, SOLUTION_FILES, STUB_FILES } from "./_fixture_kata.ts";

/** The CLI's entry point. */
export const CLI = join(ROOT, "harness", "cli", "mod.ts");
/**
 * A deadline for one CLI run in the tests, in ms: generous, since a session may
 * hold several verdicts and the machine may be very busy; a passing test never waits for it.
 */
export const CLI_DEADLINE_MS = 300_000;
/** The real kata a sandbox can hold (its stub fails fast and for sure, even on a loaded machine). */
export const KATA = "01_create_process";

/** Waits for a verdict in the tests: a whole run of the kata (and its type check) on a heavily loaded machine. */
export const VERDICT_MS = 180_000;
/** Waits for a reply to a key, which runs nothing. */
export const REPLY_MS = 10_000;
/** A learner's main.ts that says so and never ends. */
export const HANG = `console.log("hanging");\nsetInterval(() => {}, 1000);\n`;

/** A throwaway workspace. */
export interface Sandbox {
  root: string;
  /** Writes a file, path relative to the root. */
  write(path: string, text: string): void;
  read(path: string): string;
  remove(): void;
}

/** Options of {@link makeSandbox}. */
export interface SandboxOptions {
  /** Also a copy of the real kata 01 (stub, tests, solution). */
  kata01?: boolean;
  /** How many fixture katas: 91_fork_child, then 92_fork_again (default 1). */
  fixtures?: 0 | 1 | 2;
  /** Commit everything in a git repository of its own, so that reset has an original. */
  git?: boolean;
}

/**
 * Builds a workspace in a temp folder: under the folder the check removes even
 * when it kills the test file at its deadline (KATA_TMPDIR), else one this
 * process removes when it ends.
 */
export function makeSandbox(options: SandboxOptions = {}): Sandbox {
  const root = tempDir("kata-cli-");
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  if (options.kata01) {
    for (const side of ["katas", "solutions"]) {
      cpSync(join(ROOT, side, KATA), join(root, side, KATA), { recursive: true });
    }
  }
  for (const dir of [FIXTURE, FIXTURE_TWO].slice(0, options.fixtures ?? 1)) {
    for (const [name, text] of Object.entries(STUB_FILES)) write(`katas/${dir}/${name}`, text);
    for (const [name, text] of Object.entries(SOLUTION_FILES)) write(`solutions/${dir}/${name}`, text);
  }
  symlinkSync(join(ROOT, "harness"), join(root, "harness"));
  symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
  // Outside the repository, a folder needs this to load .ts files as ES modules.
  write("package.json", '{ "type": "module" }\n');
  write(".gitignore", ".kata-state.json\n.kata-state.json.*\n.kata-backups/\n");
  if (options.git) {
    const git = (...args: string[]) =>
      execFileSync("git", ["-C", root, "-c", "user.name=kata", "-c", "user.email=kata@example.invalid", ...args]);
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "the katas as given");
  }
  return {
    root,
    write,
    read: (path) => readFileSync(join(root, path), "utf8"),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Runs `fn` with a fresh sandbox, removed afterwards whatever happens. */
export async function inSandbox(options: SandboxOptions, fn: (box: Sandbox) => Promise<void>): Promise<void> {
  const box = makeSandbox(options);
  try {
    await fn(box);
  } finally {
    box.remove();
  }
}

/** Starts the CLI in the sandbox, without a terminal; stdin stays open for commands. */
export function startCli(box: Sandbox, args: string[], env: Record<string, string> = {}): RunningProgram {
  return start(CLI, {
    args,
    cwd: box.root,
    interactive: true,
    deadlineMs: CLI_DEADLINE_MS,
    env: { ...sandboxEnv(box), ...env },
  });
}

/**
 * The environment of a CLI run in the sandbox: its root as the workspace, and as
 * the folder npm was started in (`npm test` and `npm run coverage` set INIT_CWD
 * to the repository's root, and the CLI resolves a learner's paths against it).
 */
function sandboxEnv(box: Sandbox): Record<string, string> {
  return { [ROOT_VAR]: box.root, INIT_CWD: box.root };
}

/** Runs the CLI to the end with `input` on stdin. */
export function runCli(box: Sandbox, args: string[], input = "", env: Record<string, string> = {}): Promise<RunResult> {
  return start(CLI, {
    args,
    cwd: box.root,
    input,
    deadlineMs: CLI_DEADLINE_MS,
    env: { ...sandboxEnv(box), ...env },
  }).result;
}

/** Every output line of a run, stdout and stderr, as one text. */
export function textOf(r: RunResult | RunningProgram): string {
  return r.lines.map((l) => l.text).join("\n");
}

const POLL_MS = 10;

/**
 * Does `act` (type a command, save a file), then waits for a line matching
 * `pattern` printed after it: lines from before do not count.
 */
export async function expectAfter(
  cli: RunningProgram,
  act: () => void,
  pattern: RegExp | string,
  timeoutMs: number,
): Promise<OutputLine> {
  const from = cli.lines.length;
  const matches = (l: OutputLine) => typeof pattern === "string" ? l.text.includes(pattern) : pattern.test(l.text);
  let ended = false;
  void cli.result.then(() => (ended = true));
  act();
  const until = cli.now() + timeoutMs;
  for (;;) {
    const found = cli.lines.slice(from).find(matches);
    if (found) return found;
    if (ended || cli.now() > until) {
      const tail = cli.lines.slice(-15).map((l) => `  ${l.text}`).join("\n");
      throw new Error(`The CLI printed no line matching ${String(pattern)} ${ended ? "before it ended" : "in time"}. ` +
        `Its last lines:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Whether `pid` is alive (not a zombie). */
export function isAlive(pid: number): boolean {
  const state = readStat(pid)?.state;
  return state !== undefined && state !== "Z";
}

/** Waits until the sandbox's `file` (a path in it) runs as a program; its pids. */
export async function programsSeen(box: Sandbox, file: string): Promise<number[]> {
  const path = join(box.root, file);
  const until = Date.now() + VERDICT_MS;
  for (;;) {
    const pids = listPids().filter((pid) => isAlive(pid) && (readArgv(pid) ?? []).includes(path));
    if (pids.length > 0) return pids;
    if (Date.now() > until) throw new Error(`${file} was not seen running within ${VERDICT_MS} ms.`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
