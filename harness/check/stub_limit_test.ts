// Self-tests of the stub's time limit: the machine's start-up against the
// reference, times the load beside the stub, never below the limit itself.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loaderName } from "../_loader.ts";
import { median } from "../_stats.ts";
import { REFERENCE_START_MS, STUB_FAIL_LIMIT_MS, stubLimitMs } from "./_stub_limit.ts";

const REF = REFERENCE_START_MS[loaderName()];

test("at the reference start-up, idle, the limit is the limit itself; a faster machine gets no less", () => {
  assert.is(stubLimitMs(REF), STUB_FAIL_LIMIT_MS);
  assert.is(stubLimitMs(REF / 2), STUB_FAIL_LIMIT_MS);
  assert.is(stubLimitMs(REF / 2, REF / 4), STUB_FAIL_LIMIT_MS, "a probe faster than the baseline lowers nothing");
});

test("a machine that starts children twice as slowly gets twice as long, and load beside the stub multiplies it", () => {
  assert.is(stubLimitMs(2 * REF), 2 * STUB_FAIL_LIMIT_MS);
  assert.is(stubLimitMs(2 * REF, 6 * REF), 6 * STUB_FAIL_LIMIT_MS);
  // A fast machine slowed three times by the check's own runs: three times the limit,
  // although its start-up is still below the reference.
  assert.is(stubLimitMs(REF / 4, (3 * REF) / 4), 3 * STUB_FAIL_LIMIT_MS);
});

test("the probes' median: the middle one, the mean of the middle two for an even count", () => {
  assert.is(median([90, 30, 60]), 60);
  assert.is(median([400, 30, 50, 60]), 55, "one slow probe does not move it far");
  assert.is(median([45]), 45);
  assert.ok(Number.isNaN(median([])));
});

test.run();
