// The prose pack: Markdown documents edited by section, addressed by heading path. Offered beside the
// code tools when a session is about prose (see ../packs.ts).
import type { ParamSpec, ToolDefinition } from "../types";

const path: ParamSpec = { name: "path", type: "string", description: "Workspace-relative Markdown file path.", maxLength: 400 };
const heading: ParamSpec = { name: "heading", type: "string", description: "Heading path, e.g. `Intro/Motivation` (the last titles are enough when they are unique).", maxLength: 200 };
const firstLine: ParamSpec = {
  name: "first_line",
  type: "string",
  description: "Beginning of the first non-blank line below the section's heading, as you last read it (empty when the section has no text of its own); guards against stale edits.",
  maxLength: 80,
};
const position: ParamSpec = { name: "position", type: "enum", values: ["before", "after"], description: "Before the heading, or after the section (its subsections included)." };

export const proseToolDefinitions: readonly ToolDefinition[] = [
  {
    name: "outline_sections",
    description: "The Markdown document's sections by heading: level, heading path, line range and word count.",
    params: [path],
    effect: "reads",
  },
  {
    name: "open_section",
    description: "Show the numbered lines of one section (its subsections included).",
    params: [path, heading],
    effect: "reads",
  },
  {
    name: "replace_section",
    description: "Replace a section's own text (below its heading, above its first subsection) with the body; the heading and subsections stay.",
    params: [path, heading, firstLine],
    body: { description: "The section's new text, without its heading.", optional: true },
    effect: "writes",
  },
  {
    name: "insert_section",
    description: "Insert a new section with the title and body, before or after the section `heading` (leave heading out for the top or the end of the document).",
    params: [
      path,
      { ...heading, optional: true, description: "Heading path of the section to insert next to; leave out for the document's top (before) or end (after)." },
      position,
      { name: "title", type: "string", description: "The new section's heading text, without #.", maxLength: 200 },
      { name: "level", type: "integer", description: "Heading level, 1-6; the neighbouring section's by default.", min: 1, max: 6, optional: true },
      { ...firstLine, optional: true },
    ],
    body: { description: "The new section's text, without its heading.", optional: true },
    effect: "writes",
  },
  {
    name: "move_section",
    description: "Move a section (with its subsections) before or after another section.",
    params: [path, heading, firstLine, { ...heading, name: "to", description: "Heading path of the section to move next to." }, position],
    effect: "writes",
  },
  {
    name: "delete_section",
    description: "Delete a section with its subsections.",
    params: [path, heading, firstLine],
    effect: "writes",
  },
];
