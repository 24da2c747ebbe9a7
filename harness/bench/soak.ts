// The soak: runs the whole suite N times while CPU burners load the other
// cores, and prints the failures per kata and what each run left behind.
//
//   npm run soak -- [N] [--kata N ...] [--no-self] [--skip-mistakes] [--burners K]
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describeProcess, killMarked, type ProcessSnapshot } from "../cleanup.ts";
import { allKatas, findKata } from "../katas.ts";
import { startBurners } from "./_burners.ts";
import { waitForLeftovers } from "./_leftovers.ts";
import { groupOf, runSuite, type SuiteResult } from "./_suite.ts";
import { parseCommandLine } from "../command_line.ts";

const USAGE = "usage: npm run soak -- [N] [--kata N ...] [--no-self] [--skip-mistakes] [--burners K]";

const DEFAULT_RUNS = 10;
/** Every process of a soak carries this variable, to find what a run left behind. */
const SOAK_VAR = "KATA_SOAK";

function parse(): { runs: number; katas?: string[]; self: boolean; skipMistakes: boolean; burners: number } {
  const { values, positionals } = parseCommandLine(USAGE, {
    allowPositionals: true,
    options: {
      kata: { type: "string", multiple: true },
      "no-self": { type: "boolean" },
      "skip-mistakes": { type: "boolean" },
      burners: { type: "string" },
    },
  });
  const runs = Number(positionals[0] ?? DEFAULT_RUNS);
  const burners = Number(values.burners ?? Math.max(1, availableParallelism() - 1));
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`Cannot soak: "${positionals[0]}" is not a number of runs`);
  if (!Number.isInteger(burners) || burners < 0) throw new RangeError(`Cannot soak: --burners ${values.burners} is not a count`);
  return { runs, katas: values.kata, self: !values["no-self"], skipMistakes: !!values["skip-mistakes"], burners };
}

/** One line a run; for a failed run, its failures and where the check's output was kept. */
function printRun(i: number, r: SuiteResult, left: ProcessSnapshot[], log: string): void {
  const verdict = r.passed === undefined ? `crashed (exit code ${r.exitCode})` : `${r.passed} passed, ${r.failed} failed`;
  const leftText = left.length === 0
    ? "nothing"
    : left.map((p) => `${describeProcess(p)} (parent ${p.ppid})`).join("; ");
  console.log(`run ${String(i).padStart(3)}  ${(r.durationMs / 1000).toFixed(1).padStart(6)} s  ${verdict}  left: ${leftText}`);
  if (r.failures.length === 0 && r.passed !== undefined) return;
  mkdirSync(dirname(log), { recursive: true });
  writeFileSync(log, r.output);
  for (const f of r.failures) console.log(`         FAIL ${f}`);
  console.log(`         the check's output: ${log}`);
}

async function main(): Promise<number> {
  const { runs, katas, self, skipMistakes, burners } = parse();
  const groups = [...(self ? ["harness"] : []), ...(katas ? katas.map((k) => findKata(k)) : allKatas()).map((k) => k.dir), "check"];
  const failedRuns = new Map(groups.map((g) => [g, 0]));
  const marker = randomUUID();
  const entry = `${SOAK_VAR}=${marker}`;
  const logDir = join(tmpdir(), `kata-soak-${marker.slice(0, 8)}`);
  let dirty = 0;
  let stopping = false;

  const burner = startBurners(burners);
  // Ctrl-C: the run under way is killed and not counted; the runs done so far are summed up.
  const interrupted = () => {
    stopping = true;
    burner.stop();
    void killMarked(entry);
  };
  process.once("SIGINT", interrupted).once("SIGTERM", interrupted);
  const what = self ? "the suite" : "the katas' check";
  console.log(`soak: ${runs} runs of ${what} on node ${process.version}, ${burner.count} CPU burner(s)`);
  let done = 0;
  try {
    for (let i = 1; i <= runs && !stopping; i++) {
      const r = await runSuite({ katas, self, skipMistakes, env: { [SOAK_VAR]: marker } });
      if (stopping) break;
      done = i;
      const left = await waitForLeftovers(entry);
      if (left.length > 0) await killMarked(entry);
      const hit = new Set(r.failures.map(groupOf));
      if (r.passed === undefined) hit.add("check");
      for (const g of hit) failedRuns.set(g, (failedRuns.get(g) ?? 0) + 1);
      if (hit.size > 0 || left.length > 0) dirty++;
      printRun(i, r, left, join(logDir, `run_${i}.log`));
    }
  } finally {
    burner.stop();
  }
  if (stopping) {
    await killMarked(entry);
    console.log(`\ninterrupted after ${done} complete run(s): a run under way is not counted`);
  }
  console.log(`\nruns with a failure, per kata (of ${done}):`);
  for (const [g, n] of failedRuns) console.log(`  ${g.padEnd(28)} ${n}`);
  console.log(`${done - dirty} of ${done} runs clean (no failure, nothing left behind)`);
  if (stopping) return 130;
  return dirty === 0 ? 0 : 1;
}

process.exitCode = await main();
