// Unit tests of mistakes kept as patches: the header, strict application, the
// message when a patch no longer applies, and a target folder built from them.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { applyFilePatch, parseMistake, PatchError } from "./patch.ts";
import { buildTarget } from "./target.ts";

const ORIGINAL = "one\ntwo\nthree\nfour\nfive\n";
const PATCH = `Mistake: says 3 instead of three.
Concept: numbers
  and words.
Test: the third line is a word
Lesson: word

--- a/count.ts
+++ b/count.ts
@@ -2,3 +2,3 @@
 two
-three
+3
 four
`;

test("the header gives the mistake, its concept (continued lines joined), its test and its lesson word", () => {
  const m = parseMistake("digits", PATCH);
  assert.equal([m.name, m.mistake, m.concept, m.test, m.lesson],
    ["digits", "says 3 instead of three.", "numbers and words.", "the third line is a word", "word"]);
  assert.equal(m.files.map((f) => f.path), ["count.ts"]);
});

test("a header without its fields, or a file without a diff, is refused with what is missing", () => {
  assert.throws(() => parseMistake("bare", "Mistake: x\n\n--- a/f.ts\n+++ b/f.ts\n@@ -1 +1 @@\n-a\n+b\n"),
    (e: Error) => e instanceof PatchError && /"Concept:", "Test:", "Lesson:"/.test(e.message));
  assert.throws(() => parseMistake("nodiff", "Mistake: x\nConcept: y\nTest: z\nLesson: w\n"),
    (e: Error) => e instanceof PatchError && /no diff/.test(e.message));
});

test("an optional Loader: names where the mistake shows; any other value is refused", () => {
  assert.is(parseMistake("digits", PATCH).loader, undefined);
  assert.is(parseMistake("digits", PATCH.replace("Lesson: word\n", "Lesson: word\nLoader: tsx\n")).loader, "tsx");
  assert.throws(() => parseMistake("digits", PATCH.replace("Lesson: word\n", "Lesson: word\nLoader: bun\n")),
    (e: Error) => e instanceof PatchError && /must be tsx or native/.test(e.message));
});

test("a patch applies where its lines stand, even moved by edits above it", () => {
  const file = parseMistake("digits", PATCH).files[0];
  assert.is(applyFilePatch(ORIGINAL, file), "one\ntwo\n3\nfour\nfive\n");
  assert.is(applyFilePatch(`zero\n${ORIGINAL}`, file), "zero\none\ntwo\n3\nfour\nfive\n");
});

test("a patch whose lines are no longer in the file is refused, naming the hunk and its first line", () => {
  const file = parseMistake("digits", PATCH).files[0];
  assert.throws(() => applyFilePatch(ORIGINAL.replace("three", "THREE"), file, "digits"),
    (e: Error) => e instanceof PatchError && e.message.includes('hunk 1 of count.ts (at line 2) no longer applies') &&
      e.message.includes('starting "two"'));
});

test("additions at the end and files without a last newline keep their ends", () => {
  const add = parseMistake("add", "Mistake: a\nConcept: b\nTest: c\nLesson: d\n\n--- a/f.ts\n+++ b/f.ts\n@@ -2,0 +3 @@\n+x\n").files[0];
  assert.is(applyFilePatch("a\nb\n", add), "a\nb\nx\n");
  const noEol = "--- a/f.ts\n+++ b/f.ts\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n";
  const file = parseMistake("eol", `Mistake: a\nConcept: b\nTest: c\nLesson: d\n\n${noEol}`).files[0];
  assert.is(applyFilePatch("a\nb", file), "a\nc");
});

test("a target folder holds the kata's program files, the solution's over them, then the mistake", () => {
  const base = mkdtempSync(join(tmpdir(), "kata-patch-test-"));
  try {
    const kata = join(base, "katas", "99_x");
    const solution = join(base, "solutions", "99_x");
    mkdirSync(join(kata, "_support"), { recursive: true });
    mkdirSync(solution, { recursive: true });
    writeFileSync(join(kata, "count.ts"), "// TODO: count\n");
    writeFileSync(join(kata, "given.ts"), "export const GIVEN = 1;\n");
    writeFileSync(join(kata, "main_test.ts"), "test\n");
    writeFileSync(join(kata, "README.md"), "# 99 · X\n");
    writeFileSync(join(kata, "_support", "helper.ts"), "help\n");
    writeFileSync(join(solution, "count.ts"), ORIGINAL);
    writeFileSync(join(base, "digits.patch"), PATCH);
    const into = join(base, "target");
    const mistake = buildTarget(into, { kataDir: kata, solutionDir: solution, mistake: join(base, "digits.patch") });
    assert.is(mistake?.name, "digits");
    assert.is(readFileSync(join(into, "count.ts"), "utf8"), "one\ntwo\n3\nfour\nfive\n");
    assert.is(readFileSync(join(into, "given.ts"), "utf8"), "export const GIVEN = 1;\n");
    assert.equal(readdirNames(into), ["count.ts", "given.ts", "package.json"], "no tests, README or support");
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

function readdirNames(dir: string): string[] {
  return readdirSync(dir).sort();
}

test.run();
