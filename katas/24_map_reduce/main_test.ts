// Tests of kata 24: one run of main.ts over 12 files the test made, in which
// the test makes two mappers die; judged on the mappers and reducers the
// kernel showed (who, how many, when), on the mappers' own lines (checked
// against those processes), and on the files the program wrote.
import {
  aliveInterval,
  assertFinished,
  assertNothingLeft,
  assertOverlap,
  fail,
  kataSuite,
  ms,
  once,
  type ProcessRecord,
} from "../../harness/mod.ts";
import { FILE_COUNT, fileName, ownCount, ownWord } from "./_support/input.ts";
import {
  combinedLine,
  CRASHES,
  jobRun,
  type JobRun,
  MAPPERS,
  mapperLines,
  mappersOf,
  partitionOf,
  readJson,
  REDUCERS,
  reducersOf,
  STALL_MS,
} from "./_support/job_run.ts";

/** Generous: on a machine loaded far past its 2 cores, a TypeScript program has taken 25 s to start. */
const { test, program } = kataSuite(import.meta.url, { unitMs: 100, deadlineMs: 180_000 });
const run = once(() => jobRun(program));

/** The most processes alive at one moment (from observed intervals), and when. */
function mostAlive(ps: ProcessRecord[]): { count: number; at: number } {
  const spans = ps.map((p) => aliveInterval(p));
  let best = { count: 0, at: 0 };
  for (const s of spans) {
    const count = spans.filter((t) => t.start <= s.start && s.start <= t.end).length;
    if (count > best.count) best = { count, at: s.start };
  }
  return best;
}

/** ", and the test stopped the run at ... when nothing had happened for 5 s" when it had to. */
function stalled(j: JobRun): string {
  return j.stalledAt === undefined ? "" : ` Nothing happened for ${ms(STALL_MS)}, so the test stopped the run at ${ms(j.stalledAt)}.`;
}

test(`the files are mapped on a fixed pool of ${MAPPERS} mapper processes, alive together, each mapping`, async () => {
  const { r } = await run();
  const mappers = mappersOf(r);
  if (mappers.length === 0) {
    fail("main.ts started no mapper process (a child of main.ts running mapper.ts).", {
      hint: "mapFiles() forks its mappers, fork(options.mapper, options.args), and hands each a file over IPC.",
    });
  }
  const pids = new Set(mappers.map((p) => p.pid));
  const said = mapperLines(r.lines);
  const deaths = said.filter((l) => l.event === "dies" && pids.has(l.pid)).length;
  const allowed = MAPPERS + deaths;
  if (mappers.length > allowed) {
    fail(`main.ts started ${mappers.length} mapper processes for ${FILE_COUNT} files. A pool of ${MAPPERS} needs ` +
      `${MAPPERS}, plus one for each mapper that died (${deaths}): ${allowed}.`, {
      hint: "A pool is a fixed set of processes: fork the mappers once, and give each mapper file after file " +
        "(its report makes it idle again) instead of starting a process for each file.",
    });
  }
  const most = mostAlive(mappers);
  if (most.count > MAPPERS) {
    fail(`At ${ms(most.at)}, ${most.count} mapper processes were alive at once; a pool of ${MAPPERS} never has more.`, {
      hint: "Fork a replacement only once the mapper it replaces has exited, and never more than the pool's size.",
    });
  }
  const pool = mappers.slice(0, MAPPERS);
  if (pool.length < MAPPERS) {
    fail(`Expected a pool of ${MAPPERS} mapper processes, but main.ts started ${pool.length}.`, {
      hint: "mapFiles() forks `size` mappers.",
    });
  }
  assertOverlap(pool.map((p) => aliveInterval(p, `mapper ${p.pid}`)), {
    hint: "Fork the whole pool at the start, so that the mappers work side by side.",
  });
  const outsider = said.find((l) => l.event === "maps" && !pids.has(l.pid));
  if (outsider) {
    fail(`${outsider.file} was mapped by pid ${outsider.pid}, which is not a mapper process of main.ts` +
      `${outsider.pid === r.pid ? " (it is main.ts itself)" : ""}.`, {
      hint: "The files are mapped in the pool's mapper processes: send each file to a mapper.",
    });
  }
  const idle = pool.find((p) => !said.some((l) => l.event === "maps" && l.pid === p.pid));
  if (idle) {
    fail(`Mapper ${idle.pid}, one of the pool's first ${MAPPERS}, never mapped a file (it never said ` +
      `"mapper ${idle.pid}: maps ..."), though there were ${FILE_COUNT} files for ${MAPPERS} mappers.`, {
      hint: "Every idle mapper gets the next file in the queue: at the start, each mapper of the pool is idle.",
    });
  }
});

test("a mapper that dies has the file it had mapped again by another, and no file is mapped twice", async () => {
  const j = await run();
  const { r } = j;
  const said = mapperLines(r.lines);
  const pids = new Set(mappersOf(r).map((p) => p.pid));
  for (const c of CRASHES) {
    const how = c.when === "read" ? "while it reads" : "before it reports";
    const death = said.find((l) => l.event === "dies" && l.file === c.file);
    if (!death) {
      fail(`The test meant a mapper to die ${how} ${c.file}, but none did: no mapper said ` +
        `"mapper <pid>: dies ${how} ${c.file}".${stalled(j)}`, {
        hint: "mapper.ts reads each file with readWords() and reports it with reportMapped() (words.ts, given): " +
          "that is where the test makes a mapper die. Every file must be handed to a mapper.",
      });
    }
    if (!pids.has(death.pid)) fail(`Pid ${death.pid} said it died ${how} ${c.file}, but it is no mapper process of main.ts.`);
    const again = said.filter((l) => l.event === "maps" && l.file === c.file && l.index > death.index);
    if (again.length === 0) {
      fail(`Mapper ${death.pid} died ${how} ${c.file} (at ${ms(death.at)}), and no mapper mapped ${c.file} after ` +
        `that.${stalled(j)}`, {
        hint: "A mapper that exits before the map phase is over has crashed, and the file it had is not mapped: " +
          "put that file back in the queue for another mapper to redo, and fork a mapper in its place.",
      });
    }
  }
  for (let i = 1; i <= FILE_COUNT; i++) {
    const file = fileName(i);
    const reports = said.filter((l) => l.event === "mapped" && l.file === file);
    if (reports.length > 1) {
      const crashed = CRASHES.some((c) => c.file === file);
      fail(`${file} was mapped ${reports.length} times, by mappers ${reports.map((l) => l.pid).join(", ")}: ` +
        `${crashed ? "its mapper died, and it was redone more than once" : "its mapper had reported it mapped, and it was redone all the same"}.`, {
        hint: "When a mapper dies, redo only the file it had, and only once: the files it reported are mapped, " +
          "their output on disk already.",
      });
    }
    if (reports.length === 0) {
      fail(`${file} was never reported mapped (no "mapper <pid>: mapped ${file}").${stalled(j)}`, {
        hint: "Every file in the queue must reach a mapper, and every mapper that reports goes back to idle " +
          "and takes the next file.",
      });
    }
  }
});

test("no reducer starts before every mapper has ended", async () => {
  const j = await run();
  const { r } = j;
  const mappers = mappersOf(r);
  const reducers = reducersOf(r);
  if (reducers.length === 0) {
    fail(`main.ts started no reducer process (a child of main.ts running reducer.ts).${stalled(j)}`, {
      hint: "Once the map phase is over, fork one reducer.ts for each partition.",
    });
  }
  // No mapper at all is the first test's to say.
  if (mappers.length === 0) return;
  const first = reducers[0];
  const last = mappers.reduce((a, b) => ((b.lastAlive ?? 0) > (a.lastAlive ?? 0) ? b : a));
  if (first.firstSeen > (last.lastAlive ?? last.firstSeen)) return;
  const intervals = [
    ...mappers.map((p) => aliveInterval(p, `mapper ${p.pid}`)),
    ...reducers.map((p) => aliveInterval(p, `reducer ${partitionOf(p)} (pid ${p.pid})`)),
  ];
  const message = `Reducer ${partitionOf(first)} (pid ${first.pid}) was seen at ${ms(first.firstSeen)}, while mapper ` +
    `${last.pid} was still alive at ${ms(last.lastAlive ?? last.firstSeen)}.`;
  // Mapping after the first reducer began, or mappers idle and alive: two different mistakes.
  const later = mapperLines(r.lines).filter((l) => l.event !== "dies" && l.at > first.firstSeen);
  if (later.length > 0) {
    fail(`${message} Files were still being mapped then: "${r.lines[later[0].index].text}" came at ${ms(later[0].at)}.`, {
      hint: "A file handed out is not a file mapped. The reduce phase begins only when the map phase is over: " +
        "every file reported mapped, and then every mapper has ended.",
      kind: "timing",
      intervals,
    });
  }
  fail(`${message} Every file was mapped by then, but the mappers were left alive: a mapper that outlives its ` +
    `purpose.${stalled(j)}`, {
    hint: "Once every file is mapped, close the pool: disconnect each mapper (its IPC channel is what keeps it " +
      "alive) and wait for each one's exit before the reducers start.",
    kind: "timing",
    intervals,
  });
});

test(`the ${REDUCERS} reducers are processes alive side by side, one for each partition`, async () => {
  const { r } = await run();
  const reducers = reducersOf(r);
  const partitions = reducers.map(partitionOf).sort().join(", ");
  const wanted = Array.from({ length: REDUCERS }, (_, i) => String(i)).join(", ");
  if (reducers.length !== REDUCERS || partitions !== wanted) {
    fail(`Expected ${REDUCERS} reducer processes, for partitions ${wanted}, but main.ts started ${reducers.length}` +
      `${reducers.length > 0 ? `, for partitions ${partitions}` : ""}.`, {
      hint: "Fork one reducer.ts for each partition r, with the work folder and r as its arguments.",
    });
  }
  assertOverlap(reducers.map((p) => aliveInterval(p, `reducer ${partitionOf(p)} (pid ${p.pid})`)), {
    hint: "The reducers need nothing from each other (each has a partition of its own): fork them all, then " +
      "wait for them all. Waiting for each before forking the next reduces one partition at a time.",
  });
});

test("each word is reduced by exactly one reducer", async () => {
  const { workDir, expected } = await run();
  const reduced: Map<string, number>[] = [];
  for (let p = 0; p < REDUCERS; p++) {
    const counts = readJson(workDir, `reduced-${p}.json`);
    if (typeof counts === "string") {
      fail(`Reducer ${p} should write its totals to reduced-${p}.json, but ${counts}.`, {
        hint: "writeCounts(reducedPath(workDir, r), totals), in reducer.ts.",
      });
    }
    reduced.push(counts);
  }
  for (const word of expected.keys()) {
    const holders = reduced.flatMap((counts, p) => (counts.has(word) ? [p] : []));
    if (holders.length > 1) {
      fail(`"${word}" was counted by ${holders.length} reducers: ${holders.map((p) => `reducer ${p} (${reduced[p].get(word)})`).join(", ")}.`, {
        hint: "partitionOf() must send a word to the same reducer from every mapper and for every file: compute " +
          "it from the word's characters alone. A seed drawn per process (Python's hash() has one), or the order " +
          "in which a file meets its words, sends one word to several reducers.",
      });
    }
    if (holders.length === 0) {
      fail(`"${word}" is in no reducer's output (${expected.get(word)} in the input).`, {
        hint: "Every word must land in a partition that some reducer reads, 0 to reducers - 1: a partition " +
          "outside that range is read by nobody. A remainder (%) takes the sign of the number divided: is the " +
          "hash ever negative?",
      });
    }
  }
});

test("main.ts combines the reducers' outputs only after every reducer has ended", async () => {
  const j = await run();
  const { r } = j;
  const line = combinedLine(r);
  if (!line) {
    fail(`main.ts never printed "main: counted <n> words, ...".${stalled(j)}`, {
      hint: "Once every reducer has ended, add their totals into counts.json and print the line.",
    });
  }
  const reducers = reducersOf(r);
  const late = reducers.find((p) => (p.lastAlive ?? p.firstSeen) >= line.at);
  if (!late) return;
  fail(`main.ts printed "${line.text}" at ${ms(line.at)}, but reducer ${partitionOf(late)} (pid ${late.pid}) was ` +
    `still alive at ${ms(late.lastAlive ?? late.firstSeen)}.`, {
    hint: "A reducer's output is complete only once it has ended: combine only after every reducer's exit. " +
      "Code after the loop that forks them runs at once, before any exit handler.",
    kind: "timing",
    intervals: [
      ...reducers.map((p) => aliveInterval(p, `reducer ${partitionOf(p)} (pid ${p.pid})`)),
      { label: "main.ts combined", start: line.at, end: line.at },
    ],
  });
});

test("the counts are exact: no file lost, none counted twice", async () => {
  const { workDir, expected } = await run();
  const counts = readJson(workDir, "counts.json");
  if (typeof counts === "string") fail(`main.ts should write the combined counts to counts.json, but ${counts}.`);
  // Each file's own word says how many times that file was counted.
  const times = Array.from({ length: FILE_COUNT }, (_, k) => (counts.get(ownWord(k + 1)) ?? 0) / ownCount(k + 1));
  const wrong = times.flatMap((t, k) => (t === 1 ? [] : [{ file: fileName(k + 1), t }]));
  if (wrong.length > 0) {
    const twice = wrong.find((w) => w.t > 1 && CRASHES.some((c) => c.file === w.file && c.when === "report"));
    const list = wrong.map((w) => `${w.file} ${w.t === 0 ? "not at all" : `${w.t} times`}`).join(", ");
    fail(`Some files were not counted exactly once: ${list} (told by the word only that file has).`, {
      hint: twice
        ? `${twice.file}'s first mapper wrote its output, then died before it reported; the redo wrote its own ` +
          "beside it, and both were reduced. Name a file's output after the input file, not after the mapper or " +
          "the attempt, so that a redo replaces what the dead mapper left."
        : "Every file's output must be reduced once: each part of it in one partition, every partition reduced.",
    });
  }
  for (const [word, n] of expected) {
    const got = counts.get(word) ?? 0;
    if (got === n) continue;
    fail(`"${word}" was counted ${got} times; the input has it ${n} times.`, {
      hint: got < n
        ? "A word is in many input files, so its partition holds a count of it from each: the reducer must add " +
          "them up, not keep the last it read."
        : "Each count must be added once: every mapper output once in its reducer, every reducer once in counts.json.",
    });
  }
  const extra = [...counts.keys()].find((w) => !expected.has(w));
  if (extra !== undefined) fail(`counts.json has "${extra}", a word that is not in the input.`);
});

test("main.ts then exits with code 0, leaving nothing behind", async () => {
  const { r } = await run();
  assertFinished(r, { hint: "Wait for every mapper and every reducer to end, and main.ts ends by itself." });
  assertNothingLeft(r);
});

test.run();
