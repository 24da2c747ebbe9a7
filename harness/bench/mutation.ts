// The mutation score alone: every kata's mistakes run against its tests, side
// by side as in the check, and a table of how many each kata's tests catch and
// how many they catch with the lesson the mistake names. `npm run bench` prints
// the same table from its run of the whole suite; this is the quick way.
//
//   npm run mutation [-- --kata N ...] [--workers N] [--lessons]
//
// --lessons also prints, for each mistake, the first line its learner reads.
import { availableParallelism, loadavg } from "node:os";
import { basename } from "node:path";
import { loaderName } from "../_loader.ts";
import { allKatas, findKata } from "../katas.ts";
import { mistakeFiles } from "../target.ts";
import { type Job, runJobs, workerCount } from "../check/_pool.ts";
import { typeCheckMistakes } from "../check/_typecheck.ts";
import { checkMistake, type MistakeOutcome, seconds } from "../check/items.ts";
import { scoreLines } from "./_score.ts";
import { parseCommandLine } from "../command_line.ts";

const USAGE = "usage: npm run mutation -- [--kata N ...] [--workers N] [--lessons]";

async function main(): Promise<void> {
  const { values } = parseCommandLine(USAGE, {
    options: { kata: { type: "string", multiple: true }, workers: { type: "string" }, lessons: { type: "boolean" } },
  });
  const workers = workerCount(values.workers);
  const katas = values.kata ? values.kata.map((n) => findKata(n)) : allKatas();
  console.log(`mutation: node ${process.version} (${loaderName()}), ${workers} workers on ` +
    `${availableParallelism()} cores, load ${loadavg()[0].toFixed(2)} at the start`);
  const started = performance.now();
  const typeErrors = await typeCheckMistakes(katas);
  const jobs: Job<MistakeOutcome>[] = katas.flatMap((k) =>
    mistakeFiles(k.solutionDir).map((path) => ({
      chain: k.dir,
      rank: 0,
      run: () =>
        checkMistake(k, path, typeErrors).catch((err): MistakeOutcome => ({
          kata: k.dir, mistake: basename(path, ".patch"), caught: false, namedLesson: false,
          problem: `the check crashed: ${(err as Error)?.stack ?? err}`,
        })),
    }))
  );
  const outcomes = await Promise.all(runJobs(jobs, { workers }));
  for (const line of scoreLines(outcomes)) console.log(line);
  if (values.lessons) {
    for (const o of outcomes) {
      const took = o.ms === undefined ? "" : ` (${seconds(o.ms)})`;
      console.log(`${o.kata} ${o.mistake}${took}: ${o.skipped ? `not run: it ${o.skipped}` : o.message ?? o.problem ?? "?"}`);
    }
  }
  console.log(`${outcomes.length} mistakes run in ${seconds(performance.now() - started)}`);
}

await main();
