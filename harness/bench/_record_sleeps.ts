// Preloaded by the benchmark into every process of a run (see recorderNodeOptions):
// wraps the timer functions so that each timer of MIN_SLEEP_MS or more that
// fires appends its pending interval to the log. Timers that are cleared or
// aborted never fired, so they are not sleeps the run had to wait for.
import { appendFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { performance } from "node:perf_hooks";
import timers from "node:timers";
import timersPromises from "node:timers/promises";
import { MIN_SLEEP_MS, SLEEP_LOG_VAR } from "./_sleeps.ts";

type Callback = (...args: unknown[]) => void;
type TimerFn = (fn: Callback, ms?: number, ...args: unknown[]) => unknown;

const log = process.env[SLEEP_LOG_VAR];
if (log) install(log);

function install(path: string): void {
  const now = () => performance.timeOrigin + performance.now();
  const isSleep = (ms: unknown) => Number(ms) >= MIN_SLEEP_MS;
  const record = (from: number, ms: number) =>
    appendFileSync(path, JSON.stringify({ pid: process.pid, from, to: from + ms }) + "\n");

  const realTimeout = globalThis.setTimeout as unknown as TimerFn;
  const timeout: TimerFn = (fn, ms, ...args) => {
    if (typeof fn !== "function" || !isSleep(ms)) return realTimeout(fn, ms, ...args);
    const from = now();
    return realTimeout(() => {
      record(from, Number(ms));
      fn(...args);
    }, ms);
  };

  const realInterval = globalThis.setInterval as unknown as TimerFn;
  const interval: TimerFn = (fn, ms, ...args) => {
    if (typeof fn !== "function" || !isSleep(ms)) return realInterval(fn, ms, ...args);
    return realInterval(() => {
      record(now() - Number(ms), Number(ms));
      fn(...args);
    }, ms);
  };

  const realSleep = timersPromises.setTimeout;
  const sleep = async (ms?: number, value?: unknown, options?: object) => {
    const from = now();
    const result = await realSleep(ms, value, options);
    if (isSleep(ms)) record(from, Number(ms));
    return result;
  };

  // util.promisify(setTimeout) looks up a symbol property on the function: keep it.
  Object.defineProperties(timeout, Object.getOwnPropertyDescriptors(realTimeout));
  Object.defineProperties(interval, Object.getOwnPropertyDescriptors(realInterval));
  const patched = { setTimeout: timeout, setInterval: interval };
  Object.assign(globalThis, patched);
  Object.assign(timers, patched);
  Object.assign(timersPromises, { setTimeout: sleep });
  // `import { setTimeout } from "node:timers/promises"` reads the patched function only after this.
  syncBuiltinESMExports();
}
