// Watch mode's screen: a header (where the learner is), a body (the run under
// way and its verdict) and a panel (the answer to the last key), then the key
// line. On a terminal every change redraws the whole screen; into a pipe (the
// CLI's tests, a script) each change prints only its new lines, in order.
import { paint, say } from "./_print.ts";

const CLEAR = "\x1b[2J\x1b[3J\x1b[H";

/** What watch mode shows. */
export interface Screen {
  /** Starts a new body (a run, a check of every kata), with an empty panel. */
  begin(...lines: string[]): void;
  /** Adds lines to the body. */
  add(...lines: string[]): void;
  /** Replaces the panel with `lines` (the answer to a key), then the key line. */
  show(...lines: string[]): void;
  /** Adds lines to the panel, without the key line (a question, a result still to come). */
  more(...lines: string[]): void;
  /** Shows the key line (into a pipe, prints it again). */
  menu(): void;
  /** Whether the screen is redrawn whole (a terminal). */
  redraws: boolean;
}

/** A screen whose header comes from `header` at each draw and whose key line is `menuLine`. */
export function makeScreen(redraws: boolean, header: () => string[], menuLine: () => string): Screen {
  let body: string[] = [];
  let panel: string[] = [];
  const draw = () => {
    const parts = [...header(), "", ...body, ...(panel.length > 0 ? ["", ...panel] : []), "", paint("dim", menuLine())];
    process.stdout.write(`${CLEAR}${parts.join("\n")}\n`);
  };
  if (redraws) {
    return {
      redraws,
      begin(...lines) {
        [body, panel] = [lines, []];
        draw();
      },
      add(...lines) {
        body.push(...lines);
        draw();
      },
      show(...lines) {
        panel = lines;
        draw();
      },
      more(...lines) {
        panel.push(...lines);
        draw();
      },
      menu: draw,
    };
  }
  const menu = () => say("", paint("dim", menuLine()));
  return {
    redraws,
    begin: (...lines) => say("", ...header(), "", ...lines),
    add: (...lines) => say(...lines),
    show(...lines) {
      say("", ...lines);
      menu();
    },
    more: (...lines) => say(...lines),
    menu,
  };
}
