// The tools that work on the session rather than the workspace: the scratchpad, the goal, finish.
import { requireTool as definition } from "./definitions";
import type { ToolImplementation } from "./registry";
import { failure } from "./registry";
import { notesAfter } from "./notes";

/** The scratchpad is kept small enough to re-read every turn. */
export const maxNotesLength = 8000;

export function sessionTools(): ToolImplementation[] {
  return [
    {
      definition: definition("notes"),
      async run(call, { session }) {
        const action = call.args.action;
        if (action === "read") return { ok: true, text: session.notes === "" ? "(the notes are empty)" : session.notes, summary: "read notes" };
        if (call.body === undefined) return failure(`notes ${String(action)} needs a body: the text to ${String(action)}`);
        const next = notesAfter(session.notes, action, call.body);
        if (next.length > maxNotesLength) return failure(`the notes would be ${next.length} characters; at most ${maxNotesLength} are kept. Shorten them with notes write. Nothing was changed.`);
        session.notes = next;
        return { ok: true, text: `notes ${action === "write" ? "replaced" : "appended"} (${next.length} characters)`, summary: `notes ${String(action)}` };
      },
    },
    {
      definition: definition("goal"),
      async run(_call, { session }) {
        return { ok: true, text: session.goal, summary: "re-read the goal" };
      },
    },
    {
      definition: definition("finish"),
      async run(call, { session }) {
        const summary = (call.body ?? "").trim();
        if (summary === "") return failure("finish needs a summary for the user in its body");
        session.finished = summary;
        return { ok: true, text: "The session is finished.", summary: summary.split("\n")[0]?.slice(0, 120) };
      },
    },
  ];
}
