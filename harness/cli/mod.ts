// The learner's command line: `npx kata [command] [kata]` (or `npm run kata --
// [command] [kata]`). With no command, watch mode on a terminal, or one run
// with its verdict and hint without one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loaderName } from "../_loader.ts";
import { type Kata, ROOT } from "../katas.ts";
import * as commands from "./_commands.ts";
import { machineFacts, platformNotes } from "./_platform.ts";
import { command, notice, paint, say } from "./_print.ts";
import { currentKata, loadProgress, repairProgress } from "./_state.ts";
import { watchMode } from "./_watch.ts";
import { openWorkspace, pickKata, type Workspace } from "./_workspace.ts";

const USAGE = `Usage: npx kata [command] [kata] [flags]      (or: npm run kata -- [command] [kata] [flags])

  (no command)       on a terminal: watch mode on the current kata (its tests run on
                     every save; one key does the rest). Without one: run once
  watch [kata]       watch mode, also without a terminal (keys as lines on stdin)
                       --edit-cmd CMD  open the files to edit with CMD when a kata
                                       starts (a command that opens a window:
                                       code, subl, "emacsclient -n")
                       --poll          look for changes every 0.5 s, where change
                                       events never come (WSL on /mnt/c, some
                                       Docker mounts)
  list [word]        every kata, its state and a progress bar; a word keeps
                     those whose name or title holds it
                       --done, --todo  only those done, or still to do
  run [kata]         the kata's tests once; exit code 0 when they pass
  hint [kata]        the kata's hint
  verify             every kata in order, stopping at the first that fails
                       --keep-going    go on past failures
  reset [kata]       put the kata's files back as given, keeping yours in
                     .kata-backups/ (asks first; --yes skips)
  solution [kata]    the reference solution, once the kata passes (--force: before)
  timeline [kata]    run every test and chart each process the harness saw
                       --trace FILE    also write the runs as a Chrome trace
                                       (open it at https://ui.perfetto.dev)
  help               this text;  --version: the versions in use

  --solution         run, verify, timeline: test the reference solution instead

A kata is named by its number (1, 01) or its name (create_process); without
one, the current kata. Progress is kept in .kata-state.json.`;

const FLAGS = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
  solution: { type: "boolean" },
  force: { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  "keep-going": { type: "boolean" },
  done: { type: "boolean" },
  todo: { type: "boolean" },
  "edit-cmd": { type: "string" },
  poll: { type: "boolean" },
  trace: { type: "string" },
} as const;

/** Commands that run a kata's tests: they need a platform the harness can watch. */
const RUNS_TESTS = new Set([undefined, "watch", "run", "verify", "timeline"]);

function version(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string };
  return `${pkg.name} ${pkg.version} (Node ${process.versions.node}, TypeScript through ${loaderName() === "native" ? "Node itself" : "tsx"})`;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: FLAGS });
  const [verb, name, extra] = positionals;
  if (values.help || verb === "help") {
    say(USAGE);
    return 0;
  }
  if (values.version) {
    say(version());
    return 0;
  }
  if (extra !== undefined) return usageError(`Too many arguments: ${positionals.join(" ")}.`);
  if (values.done && values.todo) return usageError("--done and --todo together would list nothing: choose one.");
  const ws = openWorkspace();
  const repaired = repairProgress(ws.stateFile);
  if (repaired) notice(repaired);
  const target = values.solution ? "solution" : "learner";
  const platform = platformNotes(machineFacts(ws.root));
  if (RUNS_TESTS.has(verb)) {
    if (platform.blocker) {
      process.stderr.write(`${platform.blocker}\n`);
      return 1;
    }
    for (const note of platform.notes) notice(note);
  }
  const watchOptions = { editCmd: values["edit-cmd"], poll: Boolean(values.poll) || platform.mustPoll, notes: platform.notes };
  switch (verb) {
    case undefined: {
      const kata = current(ws);
      if (!kata) return 0;
      if (process.stdin.isTTY && process.stdout.isTTY) return watchMode(ws, kata, watchOptions);
      return commands.run(ws, kata, "learner", { withHint: true });
    }
    case "list":
      return commands.list(ws, { state: values.done ? "done" : values.todo ? "todo" : undefined, word: name });
    case "verify":
      return commands.verify(ws, { keepGoing: Boolean(values["keep-going"]), target });
  }
  const kata = name === undefined ? current(ws) : pickKata(ws, name);
  if (!kata) return 0;
  switch (verb) {
    case "watch":
      return watchMode(ws, kata, watchOptions);
    case "run":
      return commands.run(ws, kata, target, { withHint: false });
    case "hint":
      return commands.hint(kata);
    case "reset":
      return commands.reset(ws, kata, Boolean(values.yes));
    case "solution":
      return commands.solution(ws, kata, Boolean(values.force));
    case "timeline":
      return commands.timeline(ws, kata, { target, tracePath: values.trace });
    default:
      return usageError(`Unknown command "${verb}".`);
  }
}

/** The kata to work on, or undefined after saying that every kata passes. */
function current(ws: Workspace): Kata | undefined {
  const kata = currentKata(loadProgress(ws.stateFile), ws.katas);
  if (!kata) say(paint("green", "Every kata passes. Well done!"), `${command("list")} shows them all.`);
  return kata;
}

function usageError(message: string): number {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  return 2;
}

// A reader that went away (`npx kata list | head`) is not an error worth a stack trace.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
  process.exit(); // run.ts kills any run still going on exit
});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  const code = (err as { code?: string }).code ?? "";
  if (code.startsWith("ERR_PARSE_ARGS")) process.exitCode = usageError((err as Error).message);
  else if (err instanceof RangeError || (err instanceof Error && err.message.startsWith("Cannot "))) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = err instanceof RangeError ? 2 : 1;
  } else throw err;
}
