// The check: every kata's tests pass against its solution and fail, fast and
// through a failed assertion, against its stub and each of its mistakes; every
// kata has its parts and nothing else. With
// --self, the harness's own tests run first. Ends with `N passed, N failed`.
//
//   node --import tsx harness/check/mod.ts [--self] [--kata N] [--skip-mistakes]
import { join } from "node:path";
import { parseArgs } from "node:util";
import { allKatas, findKata, ROOT, ROOT_VAR } from "../katas.ts";
import { run } from "../run.ts";
import {
  checkLayout,
  checkNothingLeft,
  checkSelf,
  checkMistakes,
  checkSolution,
  checkStub,
  type Item,
  seconds,
} from "./items.ts";
import { typeCheckMistakes } from "./_typecheck.ts";

/**
 * A stub must fail a test within this many ms of its first test starting, on a
 * machine that starts a TypeScript child in REFERENCE_START_MS (Node 20 with
 * tsx, idle). A slower machine (loaded, or under coverage) gets a limit scaled
 * by its measured start-up, so that the limit judges the kata, not the machine.
 */
export const STUB_FAIL_LIMIT_MS = 2000;
const REFERENCE_START_MS = 300;
const CALIBRATION_RUNS = 3;

/** Median time to a trivial TypeScript program's first line, on this machine now. */
async function measureStartMs(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < CALIBRATION_RUNS; i++) {
    const r = await run(join(ROOT, "harness", "fixtures", "print_env.ts"));
    times.push(r.lines[0]?.at ?? r.durationMs);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

function print(item: Item): void {
  const mark = item.ok ? "ok  " : "FAIL";
  const detail = !item.detail
    ? ""
    : item.detail.includes("\n") || !item.ok
    ? `\n    ${item.detail.split("\n").join("\n    ")}`
    : ` (${item.detail})`;
  console.log(`${mark} ${item.name}${detail}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      self: { type: "boolean" },
      kata: { type: "string", multiple: true },
      "skip-mistakes": { type: "boolean" },
    },
  });
  const started = performance.now();
  const items: Item[] = [];
  const record = (item: Item) => {
    items.push(item);
    print(item);
  };
  if (values.self) for (const item of await checkSelf()) record(item);
  // KATA_ROOT: the katas of another folder (the check's self-test builds broken ones).
  const known = allKatas(process.env[ROOT_VAR] || ROOT);
  const katas = values.kata ? values.kata.map((n) => findKata(n, known)) : known;
  const startMs = await measureStartMs();
  const stubLimitMs = Math.round(STUB_FAIL_LIMIT_MS * Math.max(1, startMs / REFERENCE_START_MS));
  console.log(`a TypeScript child starts in ${Math.round(startMs)} ms here: stubs must fail within ` +
    `${seconds(stubLimitMs)} (${seconds(STUB_FAIL_LIMIT_MS)} at ${REFERENCE_START_MS} ms)`);
  const typeErrors = values["skip-mistakes"] ? new Map() : await typeCheckMistakes(katas);
  for (const k of katas) {
    record(checkLayout(k));
    record(await checkSolution(k));
    record(await checkStub(k, stubLimitMs));
    const mistakes = values["skip-mistakes"] ? undefined : await checkMistakes(k, typeErrors);
    if (mistakes) record(mistakes);
  }
  record(await checkNothingLeft());
  const failed = items.filter((i) => !i.ok).length;
  console.log(`\nchecked ${katas.length} katas in ${seconds(performance.now() - started)}`);
  console.log(`${items.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
