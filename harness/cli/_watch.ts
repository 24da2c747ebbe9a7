// Watch mode, where a learner lives: the current kata's tests run on every save
// (a run in progress is cancelled and its processes killed), the verdict shows,
// and one key does the rest (rustlings' n h l c x q, plus s t e r). The keys'
// actions are the commands' own (_actions.ts); the screen is _screen.ts; this
// file holds the loop.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Kata } from "../katas.ts";
import { checkAll, resetKata, showSolution } from "./_actions.ts";
import { openInEditor } from "./_editor.ts";
import { type Input, readInput } from "./_input.ts";
import { decodeKey, INTERRUPT_KEYS, isYes, type KeyAction, menuLine } from "./_keys.ts";
import { formatHint, formatList, formatRuns, formatVerdict, paint, progressBar } from "./_print.ts";
import { activityQueue } from "./_queue.ts";
import { makeScreen } from "./_screen.ts";
import { loadProgress, nextKata, recordOutcome, updateProgress } from "./_state.ts";
import { filesToEdit, type Judging, judgeKata, type Verdict } from "./_verdict.ts";
import { type FolderWatcher, watchFolder } from "./_watcher.ts";
import { pickKata, shown, type Workspace } from "./_workspace.ts";

/** Quiet time after the last change of a file before the tests run, in ms (editors write in bursts). */
export const DEBOUNCE_MS = 80;

/** Options of {@link watchMode}. */
export interface WatchOptions {
  /** A command that opens files in an editor, run with the files to edit when a kata starts. */
  editCmd?: string;
  /** Poll the kata's folder for changes instead of waiting for change events. */
  poll?: boolean;
  /** Lines about the platform, kept at the top of the screen (they were printed once already into a pipe). */
  notes?: string[];
}

/** What the next input is for: a key, a kata's number being typed, or the answer to a question. */
type Mode = { kind: "keys" } | { kind: "choose"; typed: string } | { kind: "answer"; resolve: (yes: boolean) => void };

/** Runs watch mode on `first` until the learner quits; resolves with the exit code. */
export function watchMode(ws: Workspace, first: Kata, options: WatchOptions = {}): Promise<number> {
  let kata = first;
  let mode: Mode = { kind: "keys" };
  let watcher: FolderWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let last: Verdict | undefined;
  let finish: (code: number) => void = () => {};
  let quitting = false;
  /** Lines for the top of the next run's screen (what a reset did: the run it causes redraws the screen). */
  let carried: string[] = [];
  const input = readInput(onInput);
  const progress = () => loadProgress(ws.stateFile);
  const editList = () => filesToEdit(kata).map((f) => shown(ws, f)).join(", ");
  const header = () => [
    `${paint("bold", "process-katas")}  ${progressBar(progress(), ws.katas)}`,
    `${paint("bold", `▶ ${kata.dir}`)}: ${kata.title}`,
    paint("dim", `The task: katas/${kata.dir}/README.md. Edit ${editList()}; each save runs the tests again.`),
    ...(input.raw ? (options.notes ?? []).map((n) => paint("dim", n)) : []),
  ];
  const keyLine = () =>
    menuLine({ width: process.stdout.isTTY ? process.stdout.columns : undefined, without: options.editCmd ? [] : ["edit"] });
  const screen = makeScreen(input.raw, header, keyLine);
  const queue = activityQueue((err) => screen.show(paint("red", `Something went wrong: ${err instanceof Error ? err.stack : err}`)));

  /** Asks a yes-or-no question; the next key or line answers it. */
  const ask = (question: string) =>
    new Promise<boolean>((resolve) => {
      screen.more(`${question} Press y to confirm, any other key to leave things as they are.`);
      mode = { kind: "answer", resolve };
    });

  function runKata(reason?: string): void {
    queue.schedule((live) => {
      screen.begin(...carried, paint("dim", reason ?? "Running the tests against your files…"));
      carried = [];
      const judging = judgeKata(kata, { onReport: (r) => live() && r.ok && screen.add(paint("dim", `  ✓ ${r.test}`)) });
      const done = judging.verdict.then((v) => {
        if (!live() || v.cancelled) return;
        last = v;
        updateProgress(ws.stateFile, (p) => ({ ...recordOutcome(p, kata.dir, v.passed), current: kata.dir }));
        screen.add("", formatVerdict(v, ws, { inWatchMode: true }), ...(v.passed ? passedLines() : []));
        screen.menu();
      });
      return { cancel: judging.cancel, done };
    });
  }

  /** After a pass: the progress so far (into a pipe: a redrawn header says it), the solution and the next kata. */
  function passedLines(): string[] {
    const next = nextKata(progress(), ws.katas, kata);
    return [
      ...(screen.redraws ? [] : ["", progressBar(progress(), ws.katas)]),
      "",
      `Well done! Compare yours with the reference solution: press ${paint("bold", "s")}.`,
      next ? `Press ${paint("bold", "n")} to go on to ${next.dir}.` : paint("green", "That was the last one: every kata passes!"),
    ];
  }

  function checkEveryKata(): void {
    queue.schedule((live) => {
      screen.begin(paint("bold", "Checking every kata against your files…"));
      let current: Judging | undefined;
      const done = checkAll(ws, {
        keepGoing: true,
        target: "learner",
        live,
        onJudging: (j) => (current = j),
        out: (...lines) => live() && screen.add(...lines),
      }).then(() => {
        if (live()) screen.menu();
      });
      return { cancel: () => current?.cancel(), done };
    });
  }

  function startOn(k: Kata): void {
    kata = k;
    last = undefined;
    updateProgress(ws.stateFile, (p) => ({ ...p, current: k.dir }));
    watchFiles();
    runKata();
    if (options.editCmd) openEditor();
  }

  function openEditor(): void {
    if (!options.editCmd) return screen.show("No editor to open: start watch mode with --edit-cmd, as in --edit-cmd code.");
    void openInEditor(options.editCmd, filesToEdit(kata)).then((problem) => {
      if (problem) screen.show(`Cannot open ${editList()} with "${options.editCmd}": ${problem}`);
    });
  }

  function watchFiles(): void {
    watcher?.close();
    watcher = watchFolder(kata.learnerDir, (name) => {
      // Editors also write backups and swap files: only TypeScript files and the README count.
      if (name.startsWith(".") || !(name.endsWith(".ts") || name === "README.md")) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        const what = existsSync(join(kata.learnerDir, name)) ? "changed" : "was removed";
        runKata(`${name} ${what}: running the tests again…`);
      }, DEBOUNCE_MS);
    }, {
      poll: options.poll ?? false,
      onError: (err) => screen.show(paint("red", `Cannot watch ${shown(ws, kata.learnerDir)} any more: ${err.message}`)),
    });
  }

  const actions: Record<KeyAction, () => void> = {
    next,
    hint: () => screen.show(formatHint(kata)),
    list() {
      screen.show(formatList(ws, progress(), kata), "", "Type a kata's number and Enter to switch to it; Enter alone to stay.");
      mode = { kind: "choose", typed: "" };
    },
    check: checkEveryKata,
    reset() {
      screen.show();
      // After a reset, the watcher sees the files change and runs the tests; on
      // a terminal that run's screen carries what the reset said.
      const out = (...lines: string[]) => {
        screen.more(...lines);
        if (screen.redraws) carried.push(...lines);
      };
      void resetKata(ws, kata, ask, out).catch((err: Error) => screen.more(err.message)).then(screen.menu);
    },
    solution() {
      screen.show();
      showSolution(ws, kata, false, screen.more);
      screen.menu();
    },
    timeline: () => screen.show(last ? formatRuns(last) : "No finished run yet: wait for the verdict."),
    edit: openEditor,
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
    if (text !== "" && text !== "\r" && text !== "\n") screen.menu();
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
    if (!wanted) return screen.show();
    try {
      const k = pickKata(ws, wanted);
      if (k !== kata) startOn(k);
      else screen.show();
    } catch (err) {
      screen.show((err as Error).message);
    }
  }

  function next(): void {
    if (!progress().done.includes(kata.dir)) {
      return screen.show(`${kata.dir} does not pass yet. To work on another kata, press l and pick one.`);
    }
    const k = nextKata(progress(), ws.katas, kata);
    if (k) return startOn(k);
    screen.show(paint("green", "Every kata passes. Well done!"));
  }

  function quit(code: number): void {
    if (quitting) return;
    quitting = true;
    clearTimeout(debounce);
    watcher?.close();
    void queue.stop().then(() => {
      input.close();
      process.stdout.write(`\n${"Bye! Your progress is saved; npm run kata brings you back here."}\n`);
      finish(code);
    });
  }

  startOn(first);
  return new Promise((resolve) => (finish = resolve));
}
