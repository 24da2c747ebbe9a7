// Watch mode, where a learner lives: the current kata's tests run on every save
// (a run in progress is cancelled and its processes killed), the verdict shows,
// and one key does the rest (rustlings' n h l c x q, plus s t r).
import { type FSWatcher, watch } from "node:fs";
import type { Kata } from "../katas.ts";
import { solution } from "./_commands.ts";
import { type Input, readInput } from "./_input.ts";
import { activityQueue } from "./_queue.ts";
import { formatHint, formatList, formatRuns, formatShortVerdict, formatVerdict, paint, progressBar, say } from "./_print.ts";
import { type Change, changedFiles, restore } from "./_reset.ts";
import { loadProgress, nextKata, recordOutcome, updateProgress } from "./_state.ts";
import { filesToEdit, judgeKata, type Judging, type Verdict } from "./_verdict.ts";
import { pickKata, shown, type Workspace } from "./_workspace.ts";

/** Quiet time after the last change of a file before the tests run, in ms (editors write in bursts). */
export const DEBOUNCE_MS = 80;
const CLEAR_SCREEN = "\x1b[2J\x1b[3J\x1b[H";
const MENU = "n next · h hint · l list · c check all · x reset · s solution · t timeline · r run again · q quit";

/** Runs watch mode on `first` until the learner quits; resolves with the exit code. */
export function watchMode(ws: Workspace, first: Kata): Promise<number> {
  let kata = first;
  let mode: "keys" | "choose" | "confirm" = "keys";
  let typed = "";
  let toReset: Change[] = [];
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let last: Verdict | undefined;
  let edit = "";
  let finish: (code: number) => void = () => {};
  let quitting = false;
  const input = readInput(onInput);
  const menu = () => say("", paint("dim", MENU));
  const show = (text: string) => {
    say("", text);
    menu();
  };
  const progress = () => loadProgress(ws.stateFile);

  const queue = activityQueue((err) => say(paint("red", `Something went wrong: ${err instanceof Error ? err.stack : err}`)));
  const schedule = queue.schedule;

  function runKata(reason?: string): void {
    schedule((live) => {
      process.stdout.write(input.raw ? CLEAR_SCREEN : "\n");
      say(`${paint("bold", "process-katas")}  ${progressBar(progress(), ws.katas)}`,
        `${paint("bold", `▶ ${kata.dir}`)}: ${kata.title}`,
        paint("dim", `Edit ${edit}; each save runs the tests again.`), "");
      say(paint("dim", reason ?? "Running the tests against your files…"));
      const judging = judgeKata(kata, { onReport: (r) => live() && r.ok && say(paint("dim", `  ✓ ${r.test}`)) });
      const done = judging.verdict.then((v) => {
        if (!live() || v.cancelled) return;
        last = v;
        updateProgress(ws.stateFile, (p) => ({ ...recordOutcome(p, kata.dir, v.passed), current: kata.dir }));
        say("", formatVerdict(v, ws));
        if (v.passed) sayPassed();
        menu();
      });
      return { cancel: judging.cancel, done };
    });
  }

  function sayPassed(): void {
    const next = nextKata(progress(), ws.katas, kata);
    say("", `Well done! Compare yours with the reference solution: press ${paint("bold", "s")}.`,
      next ? `Press ${paint("bold", "n")} to go on to ${next.dir}.` : paint("green", "That was the last one: every kata passes!"));
  }

  function checkAll(): void {
    schedule((live) => {
      say("", paint("bold", "Checking every kata against your files…"));
      let current: Judging | undefined;
      const done = (async () => {
        for (const k of ws.katas) {
          current = judgeKata(k);
          const v = await current.verdict;
          if (!live() || v.cancelled) return;
          updateProgress(ws.stateFile, (p) => recordOutcome(p, k.dir, v.passed));
          say(formatShortVerdict(v));
        }
        say("", formatList(ws, progress(), kata));
        menu();
      })();
      return { cancel: () => current?.cancel(), done };
    });
  }

  function switchTo(k: Kata): void {
    kata = k;
    last = undefined;
    updateProgress(ws.stateFile, (p) => ({ ...p, current: k.dir }));
    watchFiles();
    runKata();
  }

  function watchFiles(): void {
    // Which files to edit, while their TODO markers are still there to tell.
    edit = filesToEdit(kata).map((f) => shown(ws, f)).join(", ");
    watcher?.close();
    watcher = watch(kata.learnerDir, (_event, name) => {
      // Editors also write backups and swap files; only TypeScript files count.
      if (!name || !name.endsWith(".ts") || name.startsWith(".")) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => runKata(`${name} changed: running the tests again…`), DEBOUNCE_MS);
    });
    watcher.on("error", (err) => say(paint("red", `Cannot watch ${shown(ws, kata.learnerDir)} any more: ${err.message}`)));
  }

  function onInput({ text, isLine }: Input): void {
    if (quitting) return;
    if (text === "\u0003" || text === "\u0004") return quit(0);
    if (mode === "confirm") return confirmReset(text);
    if (mode === "choose") return choose(text, isLine);
    const key = text.slice(0, 1).toLowerCase();
    if (key === "n") return next();
    if (key === "h") return show(formatHint(kata));
    if (key === "l") {
      say("", formatList(ws, progress(), kata), "", "Type a kata's number and Enter to switch to it; Enter alone to stay.");
      mode = "choose";
      typed = "";
      return;
    }
    if (key === "c") return checkAll();
    if (key === "x") return askReset();
    if (key === "s") return showSolution();
    if (key === "t") return show(last ? formatRuns(last) : "No finished run yet: wait for the verdict.");
    if (key === "r") return runKata();
    if (key === "q") return quit(0);
    if (key !== "" && key !== "\r" && key !== "\n") menu();
  }

  function choose(text: string, isLine: boolean): void {
    if (!isLine && text === "\x7f") {
      typed = typed.slice(0, -1);
      return void process.stdout.write("\b \b");
    }
    if (!isLine && text !== "\r" && text !== "\n" && text !== "\x1b") {
      typed += text;
      return void process.stdout.write(text);
    }
    const wanted = isLine ? text : text === "\x1b" ? "" : typed;
    mode = "keys";
    if (!wanted) return menu();
    try {
      switchTo(pickKata(ws, wanted));
    } catch (err) {
      say("", (err as Error).message);
      menu();
    }
  }

  function next(): void {
    if (!progress().done.includes(kata.dir)) {
      return say("", `${kata.dir} does not pass yet. To work on another kata, press l and pick one.`);
    }
    const k = nextKata(progress(), ws.katas, kata);
    if (k) return switchTo(k);
    say("", paint("green", "Every kata passes. Well done!"));
  }

  function askReset(): void {
    try {
      toReset = changedFiles(ws.root, kata);
    } catch (err) {
      return say("", (err as Error).message);
    }
    if (toReset.length === 0) return say("", `Nothing to reset: the files of ${kata.dir} are as they were given.`);
    const names = toReset.map((c) => shown(ws, c.path)).join(", ");
    say("", `Put back the original ${names}? Your changes will be lost. Press y to confirm, any other key to keep them.`);
    mode = "confirm";
  }

  function confirmReset(text: string): void {
    mode = "keys";
    if (text.slice(0, 1).toLowerCase() !== "y") return say("Left as it was.");
    restore(toReset); // the watcher sees the files change and runs the tests
    updateProgress(ws.stateFile, (p) => ({ ...p, done: p.done.filter((d) => d !== kata.dir) }));
    say(`Reset ${toReset.map((c) => shown(ws, c.path)).join(", ")} to the original.`);
  }

  function showSolution(): void {
    if (progress().done.includes(kata.dir)) solution(ws, kata, false);
    else say("", `The reference solution opens once ${kata.dir} passes: it is there to compare with, after.`);
    menu();
  }

  function quit(code: number): void {
    if (quitting) return;
    quitting = true;
    clearTimeout(debounce);
    watcher?.close();
    void queue.stop().then(() => {
      input.close();
      say("", `Bye! Your progress is saved; npm run kata brings you back here.`);
      finish(code);
    });
  }

  updateProgress(ws.stateFile, (p) => ({ ...p, current: kata.dir }));
  watchFiles();
  runKata();
  return new Promise((resolve) => (finish = resolve));
}
