// Self-tests of the structural timing checks and their messages.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assertAtLeast, assertBelow, assertInOrder, assertOverlap, type Interval, KataCheckError } from "./timing.ts";

const iv = (label: string, start: number, end: number): Interval => ({ label, start, end });

function message(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    assert.instance(err, KataCheckError);
    return (err as Error).message;
  }
  throw new Error("expected the check to fail");
}

test("overlap passes when one moment lies in every interval", () => {
  assertOverlap([iv("qq", 0, 100), iv("tmall", 50, 200), iv("jd", 90, 300)]);
});

test("overlap fails naming the late starter and the early ender", () => {
  const m = message(() => assertOverlap([iv("qq", 0, 100), iv("tmall", 150, 200)], { hint: "Join later." }));
  assert.match(m, '"tmall" first appeared at 150 ms, after "qq" was last seen alive at 100 ms');
  assert.match(m, "Join later.");
});

test("order passes for disjoint intervals in order and fails on overlap or wrong order", () => {
  assertInOrder([iv("a", 0, 10), iv("b", 11, 20), iv("c", 30, 40)]);
  assert.match(message(() => assertInOrder([iv("a", 0, 10), iv("b", 5, 20)])), '"b" was seen at 5 ms while "a"');
  assert.match(message(() => assertInOrder([iv("a", 20, 30), iv("b", 0, 10)])), 'Expected "b" to start only after "a"');
});

test("bounds compare and say both numbers", () => {
  assertAtLeast("the total", 1000, 1000);
  assertBelow("the total", 999, 1000);
  assert.match(message(() => assertAtLeast("the total", 900, 1000)), "at least 1000 ms, but it was 900 ms");
  assert.match(message(() => assertBelow("the total", 1000, 1000)), "under 1000 ms, but it was 1000 ms");
});

test("every timing check fails as data of kind timing, with the intervals it judged, whatever its words", () => {
  const failures: [() => void, Interval[]][] = [
    [() => assertOverlap([iv("qq", 0, 100), iv("tmall", 150, 200)]), [iv("qq", 0, 100), iv("tmall", 150, 200)]],
    [() => assertInOrder([iv("a", 0, 10), iv("b", 5, 20)]), [iv("a", 0, 10), iv("b", 5, 20)]],
    [() => assertAtLeast("the total", 900, 1000), []],
    [() => assertBelow("the total", 1000, 1000), []],
  ];
  for (const [check, intervals] of failures) {
    try {
      check();
      assert.unreachable();
    } catch (err) {
      assert.instance(err, KataCheckError);
      assert.is((err as KataCheckError).failure.kind, "timing");
      assert.equal((err as KataCheckError).failure.intervals, intervals);
    }
  }
});

test.run();
