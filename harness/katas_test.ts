// Unit tests of the kata table: discovery from folders, title and hint from
// each README, the root README's table kept in step, and the direction of
// imports (the library never imports the katas, the tools or the solutions).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { allKatas, findKata, hintOf, kataTable, ROOT, titleOf, withKataTable } from "./katas.ts";

test("every folder katas/NN_name is a kata, in order, with the title and hint of its README", () => {
  const katas = allKatas();
  assert.ok(katas.length >= 12);
  assert.equal(katas.map((k) => k.number), [...katas.map((k) => k.number)].sort((a, b) => a - b));
  for (const k of katas) {
    assert.is.not(k.title, k.dir, `${k.dir} has a title`);
    assert.ok(k.hint.length > 100, `${k.dir} has a hint`);
    assert.not.match(k.hint, /<details>|<summary>/, "the hint is the text, without the collapsible block");
  }
});

test("title and hint are read from the README's markdown", () => {
  assert.is(titleOf("# 07 · A UDP chat\n\ntext"), "A UDP chat");
  assert.is(titleOf("# A UDP chat"), undefined, "a heading without the number is no title");
  const readme = "# 01 · T\n\n## Hint\n\n<details>\n<summary>Open it.</summary>\n\nFirst line.\nSecond.\n\n</details>\n\n## After\nno";
  assert.is(hintOf(readme), "First line.\nSecond.");
  assert.is(hintOf("# 01 · T\n"), "");
});

test("a kata is named by number or name, and a wrong name lists the valid ones", () => {
  const katas = allKatas();
  assert.is(findKata("2", katas).dir, "02_join_timing");
  assert.is(findKata("02", katas).dir, "02_join_timing");
  assert.is(findKata("join_timing", katas).dir, "02_join_timing");
  assert.is(findKata("02_join_timing", katas).dir, "02_join_timing");
  assert.throws(() => findKata("99", katas), (err: Error) => err instanceof RangeError && err.message.includes("  01_create_process"));
});

test("the root README's kata table is the one made from the katas' READMEs", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const made = withKataTable(readme, kataTable(allKatas()));
  assert.ok(made !== undefined, "the README has the table's comments");
  assert.ok(made === readme, "the table is up to date: run npm run new-kata -- --table");
});

/** Every relative import of a .ts file under `dir`, as [importer, imported] absolute paths. */
function imports(dir: string): [string, string][] {
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  return files.flatMap((f) => {
    const path = join(dir, f);
    const text = readFileSync(path, "utf8");
    return [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+"(\.[^"]+)"/gms)].map((m): [string, string] => [
      path,
      resolve(dirname(path), m[1]),
    ]);
  });
}

test("the harness imports nothing from katas/ or solutions/, and its library nothing from its tools", () => {
  const harness = join(ROOT, "harness");
  const tools = ["check", "cli", "bench"].map((d) => join(harness, d));
  const wrong: string[] = [];
  for (const [from, to] of imports(harness)) {
    const rel = relative(ROOT, to);
    if (rel.startsWith("katas/") || rel.startsWith("solutions/")) wrong.push(`${relative(ROOT, from)} imports ${rel}`);
    const fromLibrary = !tools.some((t) => from.startsWith(t + "/"));
    if (fromLibrary && tools.some((t) => to.startsWith(t + "/"))) wrong.push(`${relative(ROOT, from)} (library) imports ${rel}`);
  }
  assert.equal(wrong, []);
});

test("kata tests and their support import the harness only through harness/mod.ts", () => {
  const wrong = imports(join(ROOT, "katas"))
    .filter(([, to]) => to.startsWith(join(ROOT, "harness") + "/") && to !== join(ROOT, "harness", "mod.ts"))
    .map(([from, to]) => `${relative(ROOT, from)} imports ${relative(ROOT, to)}`);
  assert.equal(wrong, []);
});

test.run();
