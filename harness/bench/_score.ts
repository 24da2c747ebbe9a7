// The mutation score: for every kata, how many of its mistakes the tests catch
// (some test fails through a failed check) and how many they catch with the
// lesson the mistake names (its named test fails first, with the named word).
import type { MistakeOutcome } from "../check/items.ts";

/** One kata's row of the score. */
export interface KataScore {
  kata: string;
  mistakes: number;
  caught: number;
  namedLesson: number;
}

/** The score of each kata, in the order the outcomes came. */
export function scoreByKata(outcomes: MistakeOutcome[]): KataScore[] {
  const rows = new Map<string, KataScore>();
  // A mistake not run here (it shows only under another loader) is not scored.
  for (const o of outcomes.filter((o) => !o.skipped)) {
    const row = rows.get(o.kata) ?? { kata: o.kata, mistakes: 0, caught: 0, namedLesson: 0 };
    row.mistakes++;
    if (o.caught) row.caught++;
    if (o.namedLesson) row.namedLesson++;
    rows.set(o.kata, row);
  }
  return [...rows.values()];
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "-" : `${Math.round((100 * part) / whole)}%`;
}

const WIDTHS = [28, 9, 8, 14];

function row(cells: (string | number)[]): string {
  return cells.map((c, i) => i === 0 ? String(c).padEnd(WIDTHS[i]) : String(c).padStart(WIDTHS[i])).join("");
}

/** The score as lines of a table, a total, then each mistake missed or caught with another lesson. */
export function scoreLines(outcomes: MistakeOutcome[]): string[] {
  const rows = scoreByKata(outcomes);
  const total = rows.reduce(
    (t, r) => ({ ...t, mistakes: t.mistakes + r.mistakes, caught: t.caught + r.caught, namedLesson: t.namedLesson + r.namedLesson }),
    { kata: "all katas", mistakes: 0, caught: 0, namedLesson: 0 },
  );
  const lines = [row(["kata", "mistakes", "caught", "named lesson"])];
  for (const r of [...rows, total]) lines.push(row([r.kata, r.mistakes, r.caught, r.namedLesson]));
  lines.push(
    `mutation score: ${percent(total.caught, total.mistakes)} of mistakes caught, ` +
      `${percent(total.namedLesson, total.mistakes)} with the lesson they name`,
  );
  for (const o of outcomes.filter((o) => !o.namedLesson && !o.skipped)) {
    const why = o.caught ? "caught, not by its named test and lesson" : "not caught";
    lines.push(`  ${o.kata}/${o.mistake}: ${why}: ${o.problem?.split("\n")[0] ?? ""}`);
  }
  return lines;
}
