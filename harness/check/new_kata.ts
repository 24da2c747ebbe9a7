// The scaffold of a new kata, in the format the check enforces: a README with
// its title and hint, a stub with a TODO that fails its test fast, the test,
// and the solution still to write; the root README's table is made anew.
//
//   npm run new-kata -- 13 signal_spooler     (then: npm run check -- --kata 13)
//   npm run new-kata -- --table               (only the table)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCommandLine } from "../command_line.ts";
import { allKatas, kataTable, MISTAKES_DIR, ROOT, ROOT_VAR, withKataTable } from "../katas.ts";

const USAGE = "usage: npm run new-kata -- <number> <snake_case_name>   (or --table)";

const NAME = /^[a-z][a-z0-9_]*$/;

function readme(number: string, title: string): string {
  return `# ${number} · ${title}

## The idea

(The concept, in your own words: what a learner should understand after this kata.)

## The task

Complete \`main.ts\`: it should start one child process running \`child.ts\`.
The places to change are marked \`// TODO:\`.

## What the tests check

They run \`main.ts\` as a real process and watch the process tree from the
kernel (\`/proc\`): (say what each test judges, and from what it observes).

Run them with \`npm run kata -- run ${number}\`.

## Hint

<details>
<summary>Open when stuck: the concept and the next step, not the code.</summary>

(The concept and the next step, never the code.)

</details>
`;
}

const STUB = `// (What this program does, what "done" looks like, how to run its tests.)
import { fork } from "node:child_process";

const CHILD = new URL("./child.ts", import.meta.url).pathname;

// TODO: start CHILD as a child process with fork().
void CHILD;
void fork;
`;

const CHILD = `// Given whole: the child's work, one time unit long.
const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
setTimeout(() => console.log("child: done"), UNIT_MS);
`;

function test(dir: string): string {
  return `// Tests of kata ${dir}: judged on the observed process tree.
import { childrenOf, fail, kataSuite, once } from "../../harness/mod.ts";

const { test, program } = kataSuite(import.meta.url, { unitMs: 100, deadlineMs: 10_000 });
const mainRun = once(() => program.run("main.ts", { allowFailure: true }));

test("main.ts starts one child process running child.ts", async () => {
  const r = await mainRun();
  const children = childrenOf(r, r.pid).filter((p) => p.argv.some((a) => a.endsWith("child.ts")));
  if (children.length !== 1) {
    fail(\`Expected one child process of main.ts running child.ts, but the harness saw \${children.length}.\`, {
      hint: "fork() starts a new Node process running a module: fork(CHILD).",
    });
  }
});

test.run();
`;
}

/** Writes the root README's kata table anew from the katas' READMEs. */
function writeTable(root: string): void {
  const path = join(root, "README.md");
  const text = withKataTable(readFileSync(path, "utf8"), kataTable(allKatas(root)));
  if (text === undefined) throw new RangeError(`Cannot update the kata table: ${path} has no table comments.`);
  writeFileSync(path, text);
}

function main(): number {
  const { positionals, values } = parseCommandLine(USAGE, { allowPositionals: true, options: { table: { type: "boolean" } } });
  const root = process.env[ROOT_VAR] || ROOT;
  if (values.table) {
    writeTable(root);
    return 0;
  }
  const [num, name, ...rest] = positionals;
  if (!/^\d{1,2}$/.test(num ?? "") || !NAME.test(name ?? "") || rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const number = num.padStart(2, "0");
  const dir = `${number}_${name}`;
  const taken = allKatas(root).find((k) => k.number === Number(number));
  if (taken) {
    process.stderr.write(`Cannot make kata ${dir}: number ${number} is taken by katas/${taken.dir}/.\n`);
    return 1;
  }
  const kataDir = join(root, "katas", dir);
  const solutionDir = join(root, "solutions", dir);
  if (existsSync(kataDir) || existsSync(solutionDir)) {
    process.stderr.write(`Cannot make kata ${dir}: katas/${dir}/ or solutions/${dir}/ exists already.\n`);
    return 1;
  }
  const title = name.split("_").join(" ").replace(/^./, (c) => c.toUpperCase());
  mkdirSync(kataDir, { recursive: true });
  mkdirSync(join(solutionDir, MISTAKES_DIR), { recursive: true });
  writeFileSync(join(kataDir, "README.md"), readme(number, title));
  writeFileSync(join(kataDir, "main.ts"), STUB);
  writeFileSync(join(kataDir, "child.ts"), CHILD);
  writeFileSync(join(kataDir, "main_test.ts"), test(dir));
  // The solution starts as the stub: the check says so until it is written.
  writeFileSync(join(solutionDir, "main.ts"), STUB);
  writeTable(root);
  process.stdout.write([
    `Made katas/${dir}/ (README.md, main.ts, child.ts, main_test.ts) and solutions/${dir}/ (main.ts, ${MISTAKES_DIR}/).`,
    "Next: write the README, the tests and the solution, then the mistakes (docs/writing_a_kata.md);",
    `npm run check -- --kata ${number} says what is still missing.`,
  ].join("\n") + "\n");
  return 0;
}

process.exitCode = main();
