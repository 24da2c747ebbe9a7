// The learner's command line: `npm run kata [command] [kata]`. With no command,
// watch mode on a terminal, or one run with its verdict and hint without one.
import { parseArgs } from "node:util";
import type { Kata } from "../katas.ts";
import * as commands from "./_commands.ts";
import { paint, say } from "./_print.ts";
import { currentKata, loadProgress } from "./_state.ts";
import { watchMode } from "./_watch.ts";
import { openWorkspace, pickKata, type Workspace } from "./_workspace.ts";

const USAGE = `Usage: npm run kata -- [command] [kata] [flags]

  (no command)       on a terminal: watch mode on the current kata (tests run on
                     every save; keys n h l c x s t r q). Without one: run once
  watch [kata]       watch mode, also without a terminal (commands as lines on stdin)
  list               every kata, its state and a progress bar
  run [kata]         the kata's tests once; exit code 0 when they pass
  hint [kata]        the kata's hint
  verify             every kata in order, stopping at the first that fails
                       --keep-going   go on past failures
  reset [kata]       put the kata's code back as given (asks first; --yes skips)
  solution [kata]    the reference solution, once the kata passes (--force: before)
  timeline [kata]    run every test and chart each process the harness saw

  --solution         run, verify, timeline: test the reference solution instead

A kata is named by its number (1, 01) or its name (create_process); without
one, the current kata. Progress is kept in .kata-state.json.`;

const FLAGS = {
  help: { type: "boolean", short: "h" },
  solution: { type: "boolean" },
  force: { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  "keep-going": { type: "boolean" },
} as const;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: FLAGS });
  if (values.help) {
    say(USAGE);
    return 0;
  }
  const [command, name, extra] = positionals;
  if (extra !== undefined) return usageError(`Too many arguments: ${positionals.join(" ")}.`);
  const ws = openWorkspace();
  const target = values.solution ? "solution" : "learner";
  switch (command) {
    case undefined: {
      const kata = current(ws);
      if (!kata) return 0;
      if (process.stdin.isTTY && process.stdout.isTTY) return watchMode(ws, kata);
      return commands.run(ws, kata, "learner", { withHint: true });
    }
    case "list":
      return commands.list(ws);
    case "verify":
      return commands.verify(ws, { keepGoing: Boolean(values["keep-going"]), target });
  }
  const kata = name === undefined ? current(ws) : pickKata(ws, name);
  if (!kata) return 0;
  switch (command) {
    case "watch":
      return watchMode(ws, kata);
    case "run":
      return commands.run(ws, kata, target, { withHint: false });
    case "hint":
      return commands.hint(kata);
    case "reset":
      return commands.reset(ws, kata, Boolean(values.yes));
    case "solution":
      return commands.solution(ws, kata, Boolean(values.force));
    case "timeline":
      return commands.timeline(ws, kata, target);
    default:
      return usageError(`Unknown command "${command}".`);
  }
}

/** The kata to work on, or undefined after saying that every kata passes. */
function current(ws: Workspace): Kata | undefined {
  const kata = currentKata(loadProgress(ws.stateFile), ws.katas);
  if (!kata) say(paint("green", "Every kata passes. Well done!"), "npm run kata -- list shows them all.");
  return kata;
}

function usageError(message: string): number {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  return 2;
}

// A reader that went away (`npm run kata -- list | head`) is not an error worth a stack trace.
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
