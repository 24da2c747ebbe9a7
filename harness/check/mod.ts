// The check: every kata's tests pass against its solution and fail, fast and
// through a failed assertion, against its stub and each of its mistakes; every
// kata has its parts and nothing else. With --self, the harness's own tests run
// too. Runs go side by side on a few workers (a kata's own runs one after
// another); items print in order, and it ends with `N passed, N failed`.
//
//   node --import tsx harness/check/mod.ts [--self] [--kata N] [--skip-mistakes]
//     [--mistakes all|none|loader] [--workers N] [--report file.json]
//
// --mistakes loader runs only the mistakes whose header says they show under
// the loader in use (`Loader: tsx`): CI checks the rest once, on Node 26.
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { cleanUpOnExit } from "../_exit_cleanup.ts";
import { loaderName } from "../_loader.ts";
import { allKatas, findKata, type Kata, ROOT, ROOT_VAR } from "../katas.ts";
import { parseMistake } from "../patch.ts";
import { mistakeFiles } from "../target.ts";
import { treeCpuMs } from "./_cpu.ts";
import { type Job, runJobs, workerCount } from "./_pool.ts";
import { measureStartMs, REFERENCE_START_MS, STUB_FAIL_LIMIT_MS, stubLimitMs } from "./_stub_limit.ts";
import { typeCheckMistakes } from "./_typecheck.ts";
import {
  checkLayout,
  checkMistake,
  checkNothingLeft,
  checkSelfTest,
  checkSolution,
  checkStub,
  type CheckReport,
  type Item,
  type ItemKind,
  mistakesItem,
  type MistakeOutcome,
  seconds,
  selfTestFiles,
} from "./items.ts";
import { parseCommandLine } from "../command_line.ts";

const USAGE = "usage: npm run check -- [--self] [--kata N ...] [--skip-mistakes] [--mistakes all|none|loader] [--workers N] [--report file.json]";

const CALIBRATION_RUNS = 3;
/**
 * Which jobs start first (lower first): the type check that the mistakes need;
 * the self-tests, printed first; each kata's solution and stub; the mistakes,
 * many short runs that fill the workers to the end.
 */
const RANK = { typecheck: 0, self: 1, kata: 2, mistake: 3 };

function print(item: Item): void {
  const mark = item.ok ? "ok  " : "FAIL";
  const detail = !item.detail
    ? ""
    : item.detail.includes("\n") || !item.ok
    ? `\n    ${item.detail.split("\n").join("\n    ")}`
    : ` (${item.detail})`;
  console.log(`${mark} ${item.name}${detail}`);
}

/** An item for a job that threw: the check's own failure, named after what it was doing. */
function crashed(name: string, kind: ItemKind): (err: unknown) => Item {
  return (err) => ({ name, kind, ok: false, detail: `the check crashed: ${(err as Error)?.stack ?? err}` });
}

/** The jobs of the check, and what each item waits for, in the order they print. */
/** Which mistakes a check runs: all, none, or only those that show only under this run's loader. */
type MistakeChoice = "all" | "none" | "loader";

/** The mistakes of `k` that `choice` keeps (a patch that cannot be read is kept: its item says why). */
function chosenMistakes(k: Kata, choice: MistakeChoice): string[] {
  const all = mistakeFiles(k.solutionDir);
  if (choice !== "loader") return choice === "all" ? all : [];
  return all.filter((path) => {
    try {
      return parseMistake(basename(path, ".patch"), readFileSync(path, "utf8")).loader === loaderName();
    } catch {
      return true;
    }
  });
}

function plan(katas: Kata[], options: { self: boolean; mistakes: MistakeChoice; startMs: number }) {
  const jobs: Job<unknown>[] = [];
  function job<T>(chain: string, rank: number, run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      jobs.push({ chain, rank, run: () => run().then(resolve, reject) });
    });
  }
  const slots: Promise<Item | undefined>[] = [];
  const outcomes: Promise<MistakeOutcome[]>[] = [];
  const typeErrors = options.mistakes !== "none"
    ? job("typecheck", RANK.typecheck, () => typeCheckMistakes(katas))
    : Promise.resolve(new Map<string, string[]>());
  typeErrors.catch(() => {}); // a failed type check is reported by each mistake that waits for it
  if (options.self) {
    for (const file of selfTestFiles()) {
      slots.push(job(`self:${file}`, RANK.self, () => checkSelfTest(file))
        .catch(crashed(`harness/${file.slice(ROOT.length + "/harness/".length)} passes`, "self-test")));
    }
  }
  for (const k of katas) {
    slots.push(Promise.resolve(checkLayout(k)));
    slots.push(job(k.dir, RANK.kata, () => checkSolution(k)).catch(crashed(`${k.dir}: its tests pass against the solution`, "solution")));
    slots.push(job(k.dir, RANK.kata, () => checkStub(k, options.startMs)).catch(crashed(`${k.dir}: its tests fail against the stub, fast`, "stub")));
    const paths = chosenMistakes(k, options.mistakes);
    if (paths.length === 0) continue;
    const mine = Promise.all(paths.map((path) =>
      job(k.dir, RANK.mistake, async () => checkMistake(k, path, await typeErrors))
        .catch((err): MistakeOutcome => ({
          kata: k.dir, mistake: basename(path, ".patch"), caught: false, namedLesson: false,
          problem: `the check crashed: ${(err as Error)?.stack ?? err}`,
        }))
    ));
    outcomes.push(mine);
    slots.push(mine.then((o) => mistakesItem(k, o)));
  }
  return { jobs, slots, outcomes: () => Promise.all(outcomes).then((o) => o.flat()) };
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(USAGE, {
    options: {
      self: { type: "boolean" },
      kata: { type: "string", multiple: true },
      "skip-mistakes": { type: "boolean" },
      mistakes: { type: "string" },
      workers: { type: "string" },
      report: { type: "string" },
    },
  });
  const workers = workerCount(values.workers);
  const started = performance.now();
  const cpuBefore = treeCpuMs();
  const ownBefore = process.cpuUsage();
  // KATA_ROOT: the katas of another folder (the check's self-tests build broken ones).
  const known = allKatas(process.env[ROOT_VAR] || ROOT);
  const katas = values.kata ? values.kata.map((n) => findKata(n, known)) : known;

  // Measured before any run starts: the machine as the check found it.
  const startMs = await measureStartMs(CALIBRATION_RUNS);
  console.log(`a TypeScript child starts in ${Math.round(startMs)} ms here: stubs must fail within ` +
    `${seconds(stubLimitMs(startMs))} (${seconds(STUB_FAIL_LIMIT_MS)} at ${REFERENCE_START_MS[loaderName()]} ms), more where ` +
    `one started beside the stub takes longer; ${workers} workers`);

  const mistakes = values["skip-mistakes"] ? "none" : values.mistakes ?? "all";
  if (mistakes !== "all" && mistakes !== "none" && mistakes !== "loader") {
    console.error(`--mistakes must be all, none or loader (those that show only under ${loaderName()}), not "${mistakes}"`);
    return 2;
  }
  const { jobs, slots, outcomes } = plan(katas, { self: !!values.self, mistakes, startMs });
  runJobs(jobs, { workers });
  // Items print in order, so one slow item holds back those after it: if the
  // check is interrupted, it prints what had finished before it dies.
  const finished = new Map<number, Item>();
  slots.forEach((slot, i) => void slot.then((item) => item && finished.set(i, item)));
  let printed = 0;
  const forget = cleanUpOnExit(() => {
    const rest = [...finished].filter(([i]) => i >= printed).sort(([a], [b]) => a - b);
    console.log(`\ninterrupted: ${rest.length} more items had finished (the rest had not):`);
    for (const [, item] of rest) print(item);
  });
  const items: Item[] = [];
  for (const slot of slots) {
    const item = await slot;
    printed++;
    if (!item) continue;
    items.push(item);
    print(item);
  }
  forget();
  const left = await checkNothingLeft();
  items.push(left);
  print(left);

  const wallMs = performance.now() - started;
  const cpuAfter = treeCpuMs();
  const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  const own = process.cpuUsage(ownBefore);
  const ownCpuMs = (own.user + own.system) / 1000;
  const failed = items.filter((i) => !i.ok).length;
  const cpu = cpuMs === undefined
    ? ""
    : `, ${seconds(cpuMs)} of CPU (${(cpuMs / wallMs).toFixed(2)} cores busy on average; ${seconds(ownCpuMs)} in the check's own process)`;
  console.log(`\nchecked ${katas.length} katas in ${seconds(wallMs)}${cpu}, ${workers} workers`);
  if (values.report) {
    const report: CheckReport = {
      node: process.version, workers, startMs, wallMs, cpuMs, ownCpuMs, items, mistakes: await outcomes(),
    };
    writeFileSync(values.report, JSON.stringify(report, null, 2));
  }
  console.log(`${items.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
