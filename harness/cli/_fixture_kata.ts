// A small kata for the CLI's tests, written into sandboxes: its program forks a
// child and says so at once. Its deadline is generous, or whatever the test sets
// in KATA_FIXTURE_DEADLINE_MS, so that its verdicts hold on a heavily loaded machine.

/** Folder names of the fixture kata and of its copy (a second kata to move on to). */
export const FIXTURE = "91_fork_child";
export const FIXTURE_TWO = "92_fork_again";
/** Sets the deadline of the fixture's runs, in ms. */
export const DEADLINE_VAR = "KATA_FIXTURE_DEADLINE_MS";

const COMMENT = "// Forks child.ts and prints its pid at once, without waiting for it.\n";
const HEAD = `${COMMENT}import { fork } from "node:child_process";

const CHILD = new URL("./child.ts", import.meta.url).pathname;
`;

/** The stub: a TODO where the fork goes. */
export const STUB = `${HEAD}// TODO: fork CHILD and keep the child it returns.
const child: { pid?: number } = {};
console.log(\`main: started \${child.pid}\`);
`;

/** The reference solution. */
export const SOLUTION = `${HEAD}// fork() returns at once; the child runs beside this program.
const child = fork(CHILD);
console.log(\`main: started \${child.pid}\`);
`;

/** A plausible wrong solution: it waits for the child before printing (fails a timing check). */
export const WAITS_FIRST = `${COMMENT}import { fork } from "node:child_process";
import { once } from "node:events";

const CHILD = new URL("./child.ts", import.meta.url).pathname;
const child = fork(CHILD);
await once(child, "exit");
console.log(\`main: started \${child.pid}\`);
`;

/** The child: works three time units, then says so. */
export const CHILD_PROGRAM = `const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
setTimeout(() => console.log("child: done"), 3 * UNIT_MS);
`;

/** The kata's README: its title and its hint. */
export const README = `# 91 · Fork a child

Fork child.ts and say so at once.

## Hint

<details>
<summary>Open when stuck.</summary>

fork() returns at once.

</details>
`;

/** The kata's tests. */
export const TESTS = `import { assertFinished, assertNothingLeft, fail, findLine, kataSuite, once, type RunResult } from "../../harness/mod.ts";

const { test, program } = kataSuite(import.meta.url, {
  unitMs: 100,
  deadlineMs: Number(process.env.${DEADLINE_VAR} ?? 120_000),
});
const mainRun = once(() => program.run("main.ts", { allowFailure: true, allowLeftovers: true }));

function child(r: RunResult) {
  const found = r.descendants.find((p) => p.ppid === r.pid && p.argv.some((a) => a.endsWith("child.ts")));
  return found ?? fail("Expected a child process running child.ts, but the harness saw none.", {
    hint: "Did you fork(CHILD)?",
  });
}

test("the program forks a child", async () => {
  child(await mainRun());
});

test("the program prints before its child ends", async () => {
  const r = await mainRun();
  const line = findLine(r, /^main: started \\d+$/) ?? fail('Expected a line "main: started <pid>".');
  const c = child(r);
  if (c.lastAlive === undefined || line.at >= c.lastAlive) {
    fail(\`Expected the line while the child was still alive, but it arrived at \${Math.round(line.at)} ms \` +
      \`and the child was last seen alive at \${Math.round(c.lastAlive ?? c.firstSeen)} ms.\`);
  }
});

test("the program exits with code 0 and leaves nothing behind", async () => {
  const r = await mainRun();
  assertFinished(r);
  assertNothingLeft(r);
});

test.run();
`;

/** Every file of the fixture kata's folder, the stub's version, by name. */
export const STUB_FILES: Record<string, string> = {
  "README.md": README,
  "main.ts": STUB,
  "child.ts": CHILD_PROGRAM,
  "main_test.ts": TESTS,
};
/** Every file of its solution's folder: only the file a learner changes. */
export const SOLUTION_FILES: Record<string, string> = { "main.ts": SOLUTION };
