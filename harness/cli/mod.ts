// The learner's command line: `npm run kata [command] [kata]`.
//
//   (nothing)     run the current kata's tests and show the verdict
//   list          every kata with its state
//   run <kata>    run one kata's tests once; exit code 0 if they pass
//   hint <kata>   show a kata's hint
import { parseArgs } from "node:util";
import { allKatas, findKata, type Kata } from "../katas.ts";
import { formatHint, formatVerdict, paint } from "./_print.ts";
import { loadProgress, type Progress, recordOutcome, saveProgress } from "./_state.ts";
import { judgeKata } from "./_verdict.ts";

const USAGE = `Usage: npm run kata -- [command] [kata]

  (no command)   run the current kata's tests and show the verdict
  list           every kata and its state
  run <kata>     run one kata's tests once (exit code 0 when they pass)
  hint <kata>    show a kata's hint

A kata is named by its number (2, 02) or its name (join_timing).`;

/** The kata to work on: the chosen one, else the first not done. */
export function currentKata(progress: Progress, katas: Kata[] = allKatas()): Kata | undefined {
  const chosen = katas.find((k) => k.dir === progress.current);
  if (chosen && !progress.done.includes(chosen.dir)) return chosen;
  return katas.find((k) => !progress.done.includes(k.dir));
}

async function runOnce(kata: Kata, showHint: boolean): Promise<boolean> {
  console.log(paint("dim", `Running the tests of ${kata.dir} against your files...`));
  const verdict = await judgeKata(kata).verdict;
  saveProgress({ ...recordOutcome(loadProgress(), kata.dir, verdict.passed), current: kata.dir });
  console.log(formatVerdict(verdict));
  if (!verdict.passed && showHint) console.log(`\n${formatHint(kata)}`);
  return verdict.passed;
}

function list(progress: Progress): void {
  const katas = allKatas();
  for (const k of katas) {
    const state = progress.done.includes(k.dir)
      ? paint("green", "done       ")
      : progress.started.includes(k.dir)
      ? paint("yellow", "in progress")
      : "not started";
    console.log(`${state}  ${k.dir}  ${k.title}`);
  }
  const done = katas.filter((k) => progress.done.includes(k.dir)).length;
  const width = 30;
  const filled = Math.round((done / Math.max(katas.length, 1)) * width);
  console.log(`\n[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${katas.length} done`);
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" } },
  });
  const [command, name] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const progress = loadProgress();
  switch (command) {
    case undefined: {
      const kata = currentKata(progress);
      if (!kata) {
        console.log(paint("green", "Every kata passes. Well done!"));
        return 0;
      }
      return (await runOnce(kata, true)) ? 0 : 1;
    }
    case "list":
      list(progress);
      return 0;
    case "run":
    case "hint": {
      if (!name) {
        console.error(`${command} needs a kata.\n\n${USAGE}`);
        return 2;
      }
      const kata = findKata(name);
      if (command === "hint") {
        console.log(formatHint(kata));
        return 0;
      }
      return (await runOnce(kata, false)) ? 0 : 1;
    }
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof RangeError) {
    console.error(err.message);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
