// Watch mode, where a learner lives: the current kata's tests run on every save
// (a run in progress is cancelled and its processes killed), the verdict shows,
// and one key does the rest (rustlings' n h l c x q, plus s t r). The keys'
// actions are the commands' own (_actions.ts); this file holds the loop.
import { type FSWatcher, watch } from "node:fs";
import type { Kata } from "../katas.ts";
import { checkAll, resetKata, showSolution } from "./_actions.ts";
import { type Input, readInput } from "./_input.ts";
import { decodeKey, INTERRUPT_KEYS, isYes, type KeyAction, menuLine } from "./_keys.ts";
import { formatHint, formatList, formatRuns, formatVerdict, paint, progressBar, say } from "./_print.ts";
import { activityQueue } from "./_queue.ts";
import { loadProgress, nextKata, recordOutcome, updateProgress } from "./_state.ts";
import { filesToEdit, type Judging, judgeKata, type Verdict } from "./_verdict.ts";
import { pickKata, shown, type Workspace } from "./_workspace.ts";

/** Quiet time after the last change of a file before the tests run, in ms (editors write in bursts). */
export const DEBOUNCE_MS = 80;
const CLEAR_SCREEN = "\x1b[2J\x1b[3J\x1b[H";

/** What the next input is for: a key, a kata's number being typed, or the answer to a question. */
type Mode = { kind: "keys" } | { kind: "choose"; typed: string } | { kind: "answer"; resolve: (yes: boolean) => void };

/** Runs watch mode on `first` until the learner quits; resolves with the exit code. */
export function watchMode(ws: Workspace, first: Kata): Promise<number> {
  let kata = first;
  let mode: Mode = { kind: "keys" };
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let last: Verdict | undefined;
  let finish: (code: number) => void = () => {};
  let quitting = false;
  const input = readInput(onInput);
  const menu = () => say("", paint("dim", menuLine()));
  const show = (...lines: string[]) => {
    say("", ...lines);
    menu();
  };
  const progress = () => loadProgress(ws.stateFile);
  const queue = activityQueue((err) => say(paint("red", `Something went wrong: ${err instanceof Error ? err.stack : err}`)));

  /** Asks a yes-or-no question; the next key or line answers it. */
  const ask = (question: string) =>
    new Promise<boolean>((resolve) => {
      say("", `${question} Press y to confirm, any other key to keep them.`);
      mode = { kind: "answer", resolve };
    });

  function runKata(reason?: string): void {
    queue.schedule((live) => {
      const edit = filesToEdit(kata).map((f) => shown(ws, f)).join(", ");
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

  function checkEveryKata(): void {
    queue.schedule((live) => {
      say("", paint("bold", "Checking every kata against your files…"));
      let current: Judging | undefined;
      const done = checkAll(ws, { keepGoing: true, target: "learner", live, onJudging: (j) => (current = j) })
        .then(() => {
          if (live()) menu();
        });
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
    watcher?.close();
    watcher = watch(kata.learnerDir, (_event, name) => {
      // Editors also write backups and swap files; only TypeScript files count.
      if (!name || !name.endsWith(".ts") || name.startsWith(".")) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => runKata(`${name} changed: running the tests again…`), DEBOUNCE_MS);
    });
    watcher.on("error", (err) => say(paint("red", `Cannot watch ${shown(ws, kata.learnerDir)} any more: ${err.message}`)));
  }

  const actions: Record<KeyAction, () => void> = {
    next,
    hint: () => show(formatHint(kata)),
    list() {
      say("", formatList(ws, progress(), kata), "", "Type a kata's number and Enter to switch to it; Enter alone to stay.");
      mode = { kind: "choose", typed: "" };
    },
    check: checkEveryKata,
    // After a reset, the watcher sees the files change and runs the tests.
    reset: () => void resetKata(ws, kata, ask).catch((err: Error) => say("", err.message)).then(menu),
    solution: () => {
      showSolution(ws, kata, false);
      menu();
    },
    timeline: () => show(last ? formatRuns(last) : "No finished run yet: wait for the verdict."),
    run: () => runKata(),
    quit: () => quit(0),
  };

  function onInput({ text, isLine }: Input): void {
    if (quitting) return;
    if (INTERRUPT_KEYS.has(text)) return quit(0);
    if (mode.kind === "answer") {
      const { resolve } = mode;
      mode = { kind: "keys" };
      return resolve(isYes(text));
    }
    if (mode.kind === "choose") return choose(mode, text, isLine);
    const action = decodeKey(text);
    if (action) return actions[action]();
    if (text !== "" && text !== "\r" && text !== "\n") menu();
  }

  function choose(choosing: { typed: string }, text: string, isLine: boolean): void {
    if (!isLine && text === "\x7f") {
      choosing.typed = choosing.typed.slice(0, -1);
      return void process.stdout.write("\b \b");
    }
    if (!isLine && text !== "\r" && text !== "\n" && text !== "\x1b") {
      choosing.typed += text;
      return void process.stdout.write(text);
    }
    const wanted = isLine ? text : text === "\x1b" ? "" : choosing.typed;
    mode = { kind: "keys" };
    if (!wanted) return menu();
    try {
      switchTo(pickKata(ws, wanted));
    } catch (err) {
      show((err as Error).message);
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
