// The tools that look: open_range (a numbered window), outline (tree-sitter symbols of a file or
// folder, cut to a budget) and find (ripgrep, capped).
import { stat } from "node:fs/promises";
import { languageForPath } from "../../core/syntax/languages";
import { formatSymbols, symbolsAround } from "../../core/syntax/outline";
import type { SyntaxService } from "../../core/syntax/service";
import { requireTool as definition } from "../../core/tools/definitions";
import type { ToolImplementation } from "../../core/tools/registry";
import { failure } from "../../core/tools/registry";
import { numberLines, splitText } from "../../core/tools/text";
import type { Observation } from "../../core/tools/types";
import { ripgrep } from "./ripgrep";
import { readTextFile, resolvePath } from "./workspaceFiles";

export interface ReadEnvironment {
  readonly root: string;
  readonly syntax: SyntaxService;
}

export const windowLines = 100;
const maxWindowLines = 200;
/** Files above this size are shown without an outline: parsing them would stall the turn. */
const maxOutlineBytes = 2 * 1024 * 1024;
export const outlineBudgetChars = 6000;
export const findCap = 50;
const gitDataExclusions = ["!.git", "!**/.git", "!**/.git/**", "!.gitmodules", "!**/.gitmodules"].flatMap((glob) => ["--iglob", glob]);

export function readTools(env: ReadEnvironment): ToolImplementation[] {
  return [
    { definition: definition("open_range"), run: (call) => openRange(env, String(call.args.path), call.args.start as number | undefined, call.args.end as number | undefined) },
    { definition: definition("outline"), run: (call) => outline(env, String(call.args.path)) },
    { definition: definition("find"), run: (call, ctx) => find(env, String(call.args.query), call.args.regex === true, call.args.glob as string | undefined, ctx.signal) },
  ];
}

async function openRange(env: ReadEnvironment, input: string, start = 1, requestedEnd?: number): Promise<Observation> {
  const file = await resolvePath(env.root, input);
  if (!file.ok) return failure(file.error);
  const read = await readTextFile(file);
  if (!read.ok) return failure(read.error);
  const split = splitText(read.text);
  const count = split.lines.length;
  const facts = `${count} lines${split.eol === "\r\n" ? ", CRLF line endings" : ""}${count > 0 && !split.finalNewline ? ", no final newline" : ""}${read.document?.isDirty ? ", unsaved changes in the user's editor" : ""}`;
  if (count === 0) return { ok: true, text: `${file.relative}: the file is empty.`, summary: `opened ${file.relative} (empty)` };
  if (start > count) return failure(`line ${start} is past the end: ${file.relative} has ${count} lines`);
  if (requestedEnd !== undefined && requestedEnd < start) return failure(`end (${requestedEnd}) is before start (${start})`);
  const end = Math.min(count, requestedEnd ?? start + windowLines - 1, start + maxWindowLines - 1);
  const parts = [`${file.relative}: ${facts}. Lines ${start}-${end}:`, numberLines(split.lines, { start, end })];
  if (end < count) parts.push(`(${count - end} more lines below; open_range start=${end + 1})`);
  if (read.text.length <= maxOutlineBytes) {
    const analysis = await env.syntax.analyze(file.relative, read.text);
    const around = analysis ? symbolsAround(analysis.symbols, start, end) : [];
    if (around.length) parts.push(`Symbols in and around this window:\n${formatSymbols(around.slice(0, 30)).join("\n")}`);
  }
  return { ok: true, text: parts.join("\n"), summary: `opened ${file.relative}:${start}-${end}` };
}

async function outline(env: ReadEnvironment, input: string): Promise<Observation> {
  const target = await resolvePath(env.root, input);
  if (!target.ok) return failure(target.error);
  const info = await stat(target.absolute).catch(() => undefined);
  if (!info) return failure(`${target.relative} does not exist`);
  const files = info.isDirectory() ? await sourceFiles(target.absolute) : [target.relative];
  if (files.length === 0) return { ok: true, text: `${target.relative} holds no files in a language with an outline.`, summary: "outline: nothing" };
  const sections: string[] = [];
  let used = 0;
  let shown = 0;
  for (const relative of files) {
    const path = info.isDirectory() ? joinRelative(target.relative, relative) : relative;
    const section = await outlineOf(env, path);
    if (section === undefined) continue;
    if (used + section.length > outlineBudgetChars && shown > 0) break;
    sections.push(section.length > outlineBudgetChars ? `${section.slice(0, outlineBudgetChars)}\n… (outline cut to the budget)` : section);
    used += section.length;
    shown++;
  }
  const rest = files.length - shown;
  if (!info.isDirectory() && sections.length === 0) return failure(`${target.relative} is not in a language with an outline (${languageList()})`);
  if (rest > 0 && info.isDirectory()) sections.push(`(${rest} more files not shown; outline a subfolder or a file)`);
  return { ok: true, text: sections.join("\n"), summary: `outline of ${target.relative}` };
}

async function outlineOf(env: ReadEnvironment, relative: string): Promise<string | undefined> {
  const file = await resolvePath(env.root, relative);
  if (!file.ok) return undefined;
  const read = await readTextFile(file);
  if (!read.ok || read.text.length > maxOutlineBytes) return undefined;
  const analysis = await env.syntax.analyze(relative, read.text);
  if (!analysis) return undefined;
  const symbols = formatSymbols(analysis.symbols).map((s) => `  ${s}`);
  return [`${relative} (${splitText(read.text).lines.length} lines)`, ...(symbols.length ? symbols : ["  (no symbols)"])].join("\n");
}

async function sourceFiles(folder: string): Promise<string[]> {
  const listed = await ripgrep(folder, ["--files", "--sort", "path"]);
  return listed.lines.filter((f) => languageForPath(f) !== undefined);
}

function joinRelative(folder: string, file: string): string {
  return folder === "." ? file : `${folder}/${file}`;
}

function languageList(): string {
  return "TypeScript, JavaScript, Python, Rust, Go, Java, C, C++, C#, Ruby, PHP, Bash";
}

async function find(env: ReadEnvironment, query: string, regex: boolean, glob: string | undefined, signal: AbortSignal): Promise<Observation> {
  if (query === "") return failure("find needs a non-empty query");
  const args = ["--line-number", "--no-heading", "--with-filename", "--color", "never", "--max-columns", "300", "--max-columns-preview", "--sort", "path"];
  if (!regex) args.push("--fixed-strings");
  if (glob) args.push("--glob", glob);
  // A glob overrides ripgrep's hidden-file rule, so `.git` would be searched when named; git's own
  // data is never read (docs/security.md). Later globs win, so these come after the model's.
  args.push(...gitDataExclusions);
  args.push("--regexp", query, "--", ".");
  const result = await ripgrep(env.root, args, signal);
  if (result.error) return failure(regex ? `the search failed: ${result.error} (is the regular expression valid? Rust regex syntax)` : `the search failed: ${result.error}`);
  if (result.lines.length === 0) return { ok: true, text: `no matches for ${JSON.stringify(query)}`, summary: "find: no matches" };
  const shown = result.lines.slice(0, findCap).map((l) => l.replace(/^\.\//, ""));
  const more = result.lines.length - shown.length;
  const tail = more > 0 ? `\n(${more} more matches not shown; narrow the query or add a glob)` : "";
  return { ok: true, text: `${result.lines.length} match${result.lines.length === 1 ? "" : "es"}:\n${shown.join("\n")}${tail}`, summary: `find: ${result.lines.length} matches` };
}
