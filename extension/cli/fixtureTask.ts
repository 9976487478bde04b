// The probe's built-in task: a pretend workspace of two files whose observations are computed from
// the call, so that a model sees plausible answers. The point is checking the model and the format,
// not doing the work, so nothing touches the disk.
import type { Observation, ToolCall } from "../core/tools/types";

export const FIXTURE_TASK = "The function `add` in src/math.ts returns the wrong result. Find the bug, fix it, and finish with a summary.";

const FILES: Record<string, string> = {
  "src/math.ts": "export function add(a: number, b: number): number {\n  return a - b;\n}\n\nexport const naïveTotal = \"Σ\";\n",
  "README.md": "# Fixture\n\nA tiny workspace for `probe`.\n",
};

function numbered(text: string, start = 1, end = Number.MAX_SAFE_INTEGER): string {
  return text
    .split("\n")
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ n }) => n >= start && n <= end)
    .map(({ line, n }) => `${n}: ${line}`)
    .join("\n");
}

export function fixtureObservation(call: ToolCall): Observation {
  const path = typeof call.args.path === "string" ? call.args.path : undefined;
  const file = path !== undefined ? FILES[path] : undefined;
  switch (call.tool) {
    case "open_range":
      return file === undefined
        ? { ok: false, text: `No such file: ${path}. Files: ${Object.keys(FILES).join(", ")}` }
        : { ok: true, text: numbered(file, Number(call.args.start ?? 1), Number(call.args.end ?? Number.MAX_SAFE_INTEGER)) };
    case "find":
      return { ok: true, text: "src/math.ts:2:   return a - b;" };
    case "outline":
      return { ok: true, text: "src/math.ts\n  function add 1-3\n  const naïveTotal 5" };
    case "goal":
      return { ok: true, text: FIXTURE_TASK };
    case "finish":
      return { ok: true, text: "Session finished." };
    default:
      return { ok: true, text: `${call.tool}: done (probe workspace, nothing was changed).` };
  }
}
