// Opens the files of a kata in the learner's editor when watch mode starts on
// it (--edit-cmd "code", as rustlings does). The editor is started on its own
// and not waited for: watch mode keeps the terminal, so the command should
// open a window (code, subl, "emacsclient -n"); a terminal editor belongs in a
// terminal of its own.
import { execa, parseCommandString } from "execa";

/** Starts `editCmd` with `files` appended; resolves with why it could not start, or undefined. */
export async function openInEditor(editCmd: string, files: string[]): Promise<string | undefined> {
  const [file, ...args] = parseCommandString(editCmd);
  if (!file) return "the editor command is empty";
  const editor = execa(file, [...args, ...files], { detached: true, stdio: "ignore", cleanup: false, reject: false });
  editor.unref();
  // A command that is not there fails at once; one that starts is left to run.
  const started = await Promise.race([
    editor.then((r) => (r.failed && r.exitCode === undefined ? r.shortMessage : undefined)),
    new Promise<undefined>((resolve) => editor.once("spawn", () => resolve(undefined))),
  ]);
  return started;
}
