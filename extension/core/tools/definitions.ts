// The tools the model has. Defined once; see types.ts for what derives from this list.
import { allPackDefinitions } from "./packs";
import type { ToolDefinition } from "./types";

const path = { name: "path", type: "string", description: "Workspace-relative file path.", maxLength: 400 } as const;
const line = (name: string, description: string) =>
  ({ name, type: "integer", description, min: 1, max: 10_000_000 }) as const;

export const toolDefinitions: readonly ToolDefinition[] = [
  {
    name: "open_range",
    description: "Show numbered lines of a file (about 100 from `start`), its length, and the symbols around the window.",
    params: [path, { ...line("start", "First line to show."), optional: true }, { ...line("end", "Last line to show."), optional: true }],
    effect: "reads",
  },
  {
    name: "find",
    description: "Search the workspace (respects .gitignore and files.exclude). Lists `path:line: text`, capped.",
    params: [
      { name: "query", type: "string", description: "Text or regular expression to find.", maxLength: 400 },
      { name: "regex", type: "boolean", description: "Treat the query as a regular expression.", optional: true },
      { name: "glob", type: "string", description: "Only files matching this glob.", optional: true, maxLength: 200 },
    ],
    effect: "reads",
  },
  {
    name: "outline",
    description: "Symbols (classes, functions, methods, types) with line ranges, of a file or a folder.",
    params: [{ ...path, description: "Workspace-relative file or folder path; `.` for the whole workspace." }],
    effect: "reads",
  },
  {
    name: "replace_range",
    description:
      "Replace lines `start`..`end` with the body. `start_text` and `end_text` are the first characters of the current first and last line, guarding against stale line numbers.",
    params: [
      path,
      line("start", "First line to replace."),
      line("end", "Last line to replace."),
      { name: "start_text", type: "string", description: "Beginning of the current text of line `start`.", maxLength: 80 },
      { name: "end_text", type: "string", description: "Beginning of the current text of line `end`.", maxLength: 80 },
    ],
    body: { description: "The new lines." , optional: true },
    effect: "writes",
  },
  {
    name: "replace_symbol",
    description: "Replace a whole symbol (function, class, method...) found by name with the body.",
    params: [path, { name: "symbol", type: "string", description: "Symbol name; `Class.method` for a member.", maxLength: 200 }],
    body: { description: "The symbol's new source." },
    effect: "writes",
  },
  {
    name: "insert_lines",
    description: "Insert the body after line `after` (0 inserts at the top).",
    params: [path, { name: "after", type: "integer", description: "Line after which to insert; 0 for the top.", min: 0, max: 10_000_000 }],
    body: { description: "The lines to insert." },
    effect: "writes",
  },
  {
    name: "create_file",
    description: "Create a new file with the body as its content. Fails if it exists.",
    params: [path, { name: "final_newline", type: "boolean", description: "false: keep the content without a final line break (default true: one is added).", optional: true }],
    body: { description: "The file's content.", optional: true },
    effect: "writes",
  },
  { name: "delete_file", description: "Delete a file.", params: [path], effect: "writes" },
  {
    name: "rename_file",
    description: "Rename or move a file.",
    params: [path, { ...path, name: "to", description: "New workspace-relative path." }],
    effect: "writes",
  },
  {
    name: "run_task",
    description: "Run a task the user defined (tasks.json or contributed) by name. Returns its exit code and output.",
    params: [{ name: "name", type: "string", description: "The task's label.", maxLength: 200 }],
    effect: "runs",
  },
  {
    name: "read_diagnostics",
    description: "Problems reported by the language servers, new ones since the session began first, errors first.",
    params: [{ ...path, optional: true, description: "A file; leave out for the whole workspace." }],
    effect: "reads",
  },
  {
    name: "notes",
    description: "Your scratchpad: read it, replace it with the body, or append the body.",
    params: [{ name: "action", type: "enum", values: ["read", "write", "append"], description: "What to do." }],
    body: { description: "Text to write or append.", optional: true },
    effect: "reads",
  },
  { name: "goal", description: "Re-read the task and its constraints.", params: [], effect: "reads" },
  {
    name: "finish",
    description: "End the session with a summary for the user.",
    params: [],
    body: { description: "What was done, what was not, and why." },
    effect: "ends",
  },
];

/** Any tool, the packs' included (a session offers the packs it chose; see packs.ts). */
export function findTool(name: string): ToolDefinition | undefined {
  return toolDefinitions.find((t) => t.name === name) ?? allPackDefinitions().find((t) => t.name === name);
}

/** A tool's entry, for implementations; a missing one is a programming error that the first test run finds. */
export function requireTool(name: string): ToolDefinition {
  const found = findTool(name);
  if (!found) throw new Error(`tool ${name} is missing from the registry`);
  return found;
}
