// Tests of kata 16: one run of the pipeline, watched from the kernel while it
// runs (who holds which end of which connection, how much memory the producer
// takes while the consumer warms up), then judged on its report and its end.
import { aliveInterval, assertFinished, assertNothingLeft, assertOverlap, fail, kataSuite, ms, once, readableStderr } from "../../harness/mod.ts";
import { DATA_BYTES, expectedAnswer, reportOf } from "./_support/expected.ts";
import { inodeOf } from "./_support/kernel.ts";
import { STAGES, type StageName, watchPipeline, type Wiring } from "./_support/watch.ts";

// A loaded machine takes seconds to start each tsx process; the run takes a
// few seconds more to move 64 MiB through three of them.
const { test, program } = kataSuite(import.meta.url, { unitMs: 250, deadlineMs: 150_000 });
const watched = once(async () => watchPipeline(program));
const done = async () => (await watched()).done;
const MIB = 1024 * 1024;

/** The stdio ends a wiring must not find in main.ts, with what each one is for. */
const ENDS = [
  { stage: "producer", fd: 1, role: "stdout", writes: true },
  { stage: "filter", fd: 0, role: "stdin", writes: false },
  { stage: "filter", fd: 1, role: "stdout", writes: true },
  { stage: "consumer", fd: 0, role: "stdin", writes: false },
] as const;

test("main.ts starts the producer, the filter and the consumer, and they run side by side", async () => {
  // The wiring is read only while all three live: once it is there, this test has passed.
  if (await (await watched()).wiring) return;
  const { result, stages } = await done();
  const missing = STAGES.filter((s) => !stages[s]);
  if (missing.length > 0) {
    fail(`Expected main.ts to start three children running producer.ts, filter.ts and consumer.ts, but the ` +
      `kernel never showed ${missing.map((s) => `${s}.ts`).join(", ")} as a child of main.ts (pid ${result.pid}).`, {
      hint: "Start each stage with spawn(process.execPath, nodeArgs(\"<stage>.ts\"), { stdio: [...] }).",
    });
  }
  assertOverlap(STAGES.map((s) => aliveInterval(stages[s]!.record, s)), {
    hint: "A pipeline's stages run at the same time, each working on what the one before it has written: " +
      "start all three before you wait for any of them.",
  });
});

test("neighbouring stages hold the two ends of one connection, and main.ts holds neither end", async () => {
  const wiring = await (await watched()).wiring;
  if (!wiring) fail("The three stages were never alive at the same moment, so their wiring could not be read.");
  for (const { stage, fd, role, writes } of ENDS) {
    const seen = wiring.stages[stage];
    const inode = inodeOf(fd === 1 ? seen.stdout : seen.stdin);
    const mine = [...wiring.mainFiles].find(([, target]) => inodeOf(target) === inode);
    if (inode === undefined || !mine) continue;
    fail(`main.ts holds ${mine[1]} as its fd ${mine[0]}: that is the ${stage}'s ${role} (fd ${fd}) itself. ` +
      `It was handed to the ${stage}, and main.ts kept its own copy.`, {
      hint: writes
        ? "A reader sees end-of-file only when every copy of the writing end is closed: while main.ts holds " +
          `this one, the stage reading from the ${stage} waits for more for ever. Close main.ts's copy ` +
          "(.destroy()) once the child has it."
        : `While main.ts holds a copy of the ${stage}'s input it could read bytes meant for the ${stage}, and the ` +
          `stage writing into it would never learn that its reader is gone. Close your copy (.destroy()) once ` +
          "the child has it.",
    });
  }
  assertConnected(wiring, "producer", "filter");
  assertConnected(wiring, "filter", "consumer");
});

/** The writer's stdout and the reader's stdin are the two ends of one socket pair. */
function assertConnected(wiring: Wiring, writer: StageName, reader: StageName): void {
  const out = wiring.stages[writer].stdout;
  const into = wiring.stages[reader].stdin;
  const outInode = inodeOf(out);
  if (outInode === undefined) {
    fail(`The ${writer}'s stdout is ${out ?? "closed"}, not a connection to the ${reader}.`, {
      hint: `Give the ${writer} "pipe" as its stdout, then hand that stream to the ${reader} as its stdin.`,
    });
  }
  if (!wiring.sockets) {
    console.log("  (ss is not installed: which socket is connected to which was not checked)");
    return;
  }
  const peer = wiring.sockets.get(outInode)?.peer;
  if (peer !== undefined && peer === inodeOf(into)) return;
  const holder = [...wiring.mainFiles].find(([, t]) => inodeOf(t) === peer);
  fail(`The ${writer}'s stdout (${out}) is connected to ` +
    (holder ? `socket:[${peer}], held by main.ts as its fd ${holder[0]}` : `socket:[${peer ?? "?"}]`) +
    `, but the ${reader}'s stdin is ${into}: the bytes between them pass through main.ts.`, {
    hint: `Give the ${writer}'s stdout stream to spawn() as the ${reader}'s stdin (stdio: [writer.stdout, ...]): the ` +
      `child then reads from the very connection the ${writer} writes into, and main.ts copies nothing.`,
  });
}

test("the producer's memory stays small while the consumer is slow to read", async () => {
  const { stages } = await done();
  const { producer, filter, consumer } = stages;
  if (!producer || !filter || !consumer) return fail("Not all three stages ran (see the first test).");
  // A Node process of the same kind that holds little data: the smaller of the other two.
  const base = Math.min(filter.peakKb, consumer.peakKb);
  const extraMib = (producer.peakKb - base) / 1024;
  const bound = DATA_BYTES / MIB / 2;
  if (extraMib < bound) return;
  fail(`The producer's resident memory peaked at ${mib(producer.peakKb)}, ${extraMib.toFixed(0)} MiB above ` +
    `the filter's or consumer's (${mib(base)}), while it writes ${DATA_BYTES / MIB} MiB in all: it kept a large ` +
    `part of its output queued in its own memory while the consumer warmed up.`, {
    hint: "process.stdout.write() never blocks: when the pipe is full it queues the bytes and returns false. " +
      "Wait for \"drain\" before writing the next batch: that is back-pressure.",
  });
});

test("main.ts reads the consumer's output while it runs, before waiting for it to exit", async () => {
  const { stall, result } = await done();
  if (!stall) return;
  fail(`The consumer was alive` +
    (stall.unread !== undefined ? ` with ${stall.unread} bytes of its output waiting unread in main.ts's end` : "") +
    `, and for ${ms(stall.stuckMs)} nothing moved: main.ts read nothing and used next to no CPU. The run was stopped ` +
    `at ${ms(result.durationMs)}.`, {
    hint: "The consumer's output is larger than a pipe holds. Once the pipe is full, the consumer can write no " +
      "more and cannot finish, and main.ts was waiting for it to exit before reading: each waits for the other. " +
      "A full pipe blocks the writer, so read the children's output while they run, and wait for them after.",
  });
});

test("every error record reaches the consumer, and main.ts reports the exact count and sum", async () => {
  const { result } = await done();
  const want = expectedAnswer();
  const got = reportOf(result);
  const complaints = readableStderr(result.stderr).filter((l) => /^main: /.test(l));
  if (!got) {
    const drain = drainHint(complaints);
    if (drain) fail(`main.ts printed no report; it said:\n${complaints.join("\n")}`, { hint: drain });
    assertFinished(result);
    fail(`main.ts never printed "main: <count> records stored, ids adding up to <sum>".` +
      (complaints.length > 0 ? ` It said:\n${complaints.join("\n")}` : ""));
  }
  if (got.count !== want.count || got.sum !== want.sum) {
    fail(`main.ts reported ${got.count} records stored, ids adding up to ${got.sum}; the consumer stores ` +
      `${want.count} records whose ids add up to ${want.sum}.`, {
      hint: "A stream of bytes keeps no message boundaries: one \"data\" chunk may hold many lines, or part of " +
        "one. Split the consumer's output into lines (readline does) and count those.",
    });
  }
});

function drainHint(complaints: string[]): string | undefined {
  if (!complaints.some((l) => /producer exited with code 13/.test(l))) return undefined;
  return "Code 13 is Node's code for a top-level await that never settled: the producer waited for a \"drain\" " +
    "that never came. \"drain\" is emitted only after write() returned false; when it returned true, write on.";
}

test("main.ts exits with code 0 once the pipeline is done, leaving nothing behind", async () => {
  const { result } = await done();
  assertFinished(result);
  assertNothingLeft(result);
});

function mib(kb: number): string {
  return `${(kb / 1024).toFixed(0)} MiB`;
}

test.run();
