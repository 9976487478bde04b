// The prose pack's implementations: section reads and edits of Markdown files. Every edit is computed
// by core/tools/prose/edits.ts from the current text and applied through editFile, like replace_range
// (unsaved user changes refused, the Markdown guard run, nothing shown or focused).
import { packDefinitions } from "../../../core/tools/packs";
import { isMarkdownPath } from "../../../core/tools/prose/markdown";
import { deleteSection, insertSection, locateSection, moveSection, outlineText, replaceSection, type SectionEdit } from "../../../core/tools/prose/edits";
import { formatPath, type Section } from "../../../core/tools/prose/sections";
import { failure, type ToolImplementation } from "../../../core/tools/registry";
import { numberLines, splitText } from "../../../core/tools/text";
import type { Observation, ObservationAttachment, ToolCall, ToolDefinition } from "../../../core/tools/types";
import { editFile, type EditEnvironment } from "../editTools";
import { readTextFile, resolvePath } from "../workspaceFiles";

const maxSectionLines = 200;

function definition(name: string): ToolDefinition {
  const found = packDefinitions.prose.find((d) => d.name === name);
  if (!found) throw new Error(`tool ${name} is missing from the prose pack`);
  return found;
}

export function outlineAttachment(path: string, sections: readonly Section[]): ObservationAttachment {
  return { kind: "outline", path, sections: sections.slice(0, 60).map((s) => ({ level: s.level, title: s.title, startLine: s.startLine, endLine: s.endLine, words: s.words })) };
}

async function readMarkdown(root: string, input: string): Promise<{ ok: true; relative: string; text: string } | { ok: false; observation: Observation }> {
  if (!isMarkdownPath(input)) return { ok: false, observation: failure(`${input} is not a Markdown file (.md); the section tools work on Markdown. Use open_range and replace_range for other files`) };
  const file = await resolvePath(root, input);
  if (!file.ok) return { ok: false, observation: failure(file.error) };
  const read = await readTextFile(file);
  if (!read.ok) return { ok: false, observation: failure(read.error) };
  return { ok: true, relative: file.relative, text: read.text };
}

/** A section edit through editFile, with the document's new outline for the panel. */
async function sectionEdit(env: EditEnvironment, call: ToolCall, compute: (path: string, text: string) => SectionEdit): Promise<Observation> {
  const path = String(call.args.path);
  if (!isMarkdownPath(path)) return failure(`${path} is not a Markdown file (.md); the section tools work on Markdown. Use replace_range for other files`);
  let after: string | undefined;
  const observation = await editFile(env, path, (text) => {
    const edit = compute(path, text);
    if (edit.ok) after = edit.text;
    return edit;
  });
  if (!observation.ok || after === undefined) return observation;
  const outline = outlineText(path, after);
  return { ...observation, text: `${observation.text}\nSections now:\n${outline.text}`, attachment: outlineAttachment(path, outline.sections) };
}

const str = (call: ToolCall, name: string) => (call.args[name] === undefined ? undefined : String(call.args[name]));

export function proseTools(env: EditEnvironment): ToolImplementation[] {
  return [
    {
      definition: definition("outline_sections"),
      async run(call) {
        const read = await readMarkdown(env.root, String(call.args.path));
        if (!read.ok) return read.observation;
        const outline = outlineText(read.relative, read.text);
        return { ok: true, text: outline.text, summary: `${outline.sections.length} sections in ${read.relative}`, attachment: outlineAttachment(read.relative, outline.sections) };
      },
    },
    {
      definition: definition("open_section"),
      async run(call) {
        const read = await readMarkdown(env.root, String(call.args.path));
        if (!read.ok) return read.observation;
        const found = locateSection(read.relative, read.text, String(call.args.heading));
        if (!found.ok) return failure(found.error);
        const { section } = found;
        const lines = splitText(read.text).lines;
        const end = Math.min(section.endLine, section.startLine + maxSectionLines - 1);
        const more = end < section.endLine ? `\n(${section.endLine - end} more lines; open_range start=${end + 1})` : "";
        const head = `${read.relative}: section "${formatPath(section)}", lines ${section.startLine}-${section.endLine}, ${section.words} words:`;
        return { ok: true, text: `${head}\n${numberLines(lines, { start: section.startLine, end })}${more}`, summary: `opened section ${formatPath(section)}` };
      },
    },
    {
      definition: definition("replace_section"),
      run: (call) => sectionEdit(env, call, (path, text) => replaceSection(path, text, String(call.args.heading), String(call.args.first_line), call.body)),
    },
    {
      definition: definition("insert_section"),
      run: (call) =>
        sectionEdit(env, call, (path, text) => {
          const heading = str(call, "heading");
          const quoted = str(call, "first_line");
          const level = call.args.level === undefined ? undefined : Number(call.args.level);
          return insertSection(path, text, {
            ...(heading !== undefined ? { heading } : {}),
            ...(quoted !== undefined ? { quoted } : {}),
            ...(level !== undefined ? { level } : {}),
            ...(call.body !== undefined ? { body: call.body } : {}),
            position: call.args.position === "before" ? "before" : "after",
            title: String(call.args.title),
          });
        }),
    },
    {
      definition: definition("move_section"),
      run: (call) =>
        sectionEdit(env, call, (path, text) => moveSection(path, text, String(call.args.heading), String(call.args.first_line), String(call.args.to), call.args.position === "before" ? "before" : "after")),
    },
    {
      definition: definition("delete_section"),
      run: (call) => sectionEdit(env, call, (path, text) => deleteSection(path, text, String(call.args.heading), String(call.args.first_line))),
    },
  ];
}
