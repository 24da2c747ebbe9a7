// Self-tests of the mutation score: counts per kata, the total, and the
// mistakes that were missed or caught with another lesson, named.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { MistakeOutcome } from "../check/items.ts";
import { scoreByKata, scoreLines } from "./_score.ts";

const outcomes: MistakeOutcome[] = [
  { kata: "01_a", mistake: "right", caught: true, namedLesson: true },
  { kata: "01_a", mistake: "other_test", caught: true, namedLesson: false, problem: 'it should fail "x" first\n  detail' },
  { kata: "02_b", mistake: "passes", caught: false, namedLesson: false, problem: "the tests pass against it" },
  { kata: "02_b", mistake: "right_too", caught: true, namedLesson: true },
];

test("each kata's row counts its mistakes, those caught, and those caught with the named lesson", () => {
  assert.equal(scoreByKata(outcomes), [
    { kata: "01_a", mistakes: 2, caught: 2, namedLesson: 1 },
    { kata: "02_b", mistakes: 2, caught: 1, namedLesson: 1 },
  ]);
});

test("the table ends with the total and the score, then names each mistake short of its lesson", () => {
  const lines = scoreLines(outcomes);
  assert.match(lines.find((l) => l.startsWith("all katas"))!, /^all katas\s+4\s+3\s+2$/);
  assert.ok(lines.includes("mutation score: 75% of mistakes caught, 50% with the lesson they name"), lines.join("\n"));
  assert.equal(lines.slice(-2), [
    '  01_a/other_test: caught, not by its named test and lesson: it should fail "x" first',
    "  02_b/passes: not caught: the tests pass against it",
  ]);
});

test.run();
