// Output for the learner: colours through util.styleText, only on a terminal and
// never when NO_COLOR is set.
import { styleText } from "node:util";
import type { Kata } from "../katas.ts";
import { filesToEdit, type Verdict } from "./_verdict.ts";

type Style = Parameters<typeof styleText>[0];

/** Whether to colour output: a TTY, and neither NO_COLOR nor NODE_DISABLE_COLORS set. */
export function useColor(stream: { isTTY?: boolean } = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && !process.env.NODE_DISABLE_COLORS;
}

/** `text` in `style` where colour is wanted, plain otherwise. */
export function paint(style: Style, text: string): string {
  return useColor() ? styleText(style, text) : text;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The verdict as a learner reads it: what passed, or the first lesson and the file to edit. */
export function formatVerdict(v: Verdict): string {
  const head = `${v.kata.dir}: ${v.kata.title}`;
  if (v.passed) {
    return `${paint("green", "✓ passed")}  ${head}  (${v.passedTests} tests, ${seconds(v.durationMs)})`;
  }
  const lines = [`${paint("red", "✗ not yet")}  ${head}`];
  if (v.firstFailure) {
    lines.push("", `${paint("bold", "Failing check:")} ${v.firstFailure.test}`);
    lines.push(indent(v.firstFailure.error?.message ?? "(no message)"));
  } else if (v.crash) {
    lines.push("", paint("bold", "The tests could not run:"), indent(v.crash));
  }
  lines.push("", `${paint("bold", "Edit:")} ${filesToEdit(v.kata).join(", ")}`);
  return lines.join("\n");
}

/** A kata's hint, framed. */
export function formatHint(k: Kata): string {
  return `${paint("yellow", `Hint for ${k.dir}:`)}\n${indent(k.hint)}`;
}

function indent(text: string): string {
  return text.split("\n").map((l) => `  ${l}`).join("\n");
}
