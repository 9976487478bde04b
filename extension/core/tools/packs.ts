// Tool packs: groups of tools offered beside the code tools when a session needs them. Prose
// (Markdown by section) and CAD (OpenSCAD) are decided once, when a session starts, from its task and
// the workspace's files; the `infiniteToolUse.tools.prose` / `.cad` settings force a pack on or off.
import { cadToolDefinitions } from "./cad/definitions";
import { proseToolDefinitions } from "./prose/definitions";
import type { ToolDefinition } from "./types";

export type PackName = "prose" | "cad";
export type PackSetting = "auto" | "on" | "off";

export const packDefinitions: Readonly<Record<PackName, readonly ToolDefinition[]>> = { prose: proseToolDefinitions, cad: cadToolDefinitions };

export interface PackInputs {
  readonly task: string;
  /** Workspace-relative paths of the workspace's files (tracked ones are enough). */
  readonly files: readonly string[];
  readonly settings: Readonly<Record<PackName, PackSetting>>;
}

const proseWords = /\b(article|essay|blog|chapter|story|prose|paragraphs?|introduction|draft|manuscript|markdown|readme|write-?up|headings?)\b|\.md\b/i;
const cadWords = /\b(cad|openscad|scad|3d|3-d|three-dimensional|printable|3d-print(ed|ing)?|enclosure|bracket|extrude)\b|\.scad\b/i;
const proseFile = /\.(md|markdown|mdown|mkd|txt|rst|adoc)$/i;
const cadFile = /\.scad$/i;

/**
 * Which packs a session gets. `auto`: prose when the task reads as writing (article, chapter,
 * README, a .md file...) or most of the workspace's files are prose; CAD when the task speaks of
 * 3D / CAD / OpenSCAD or the workspace holds .scad files.
 */
export function choosePacks(inputs: PackInputs): PackName[] {
  const packs: PackName[] = [];
  const decide = (name: PackName, auto: () => boolean) => {
    const setting = inputs.settings[name];
    if (setting === "on" || (setting !== "off" && auto())) packs.push(name);
  };
  decide("prose", () => proseWords.test(inputs.task) || mostlyProse(inputs.files));
  decide("cad", () => cadWords.test(inputs.task) || inputs.files.some((f) => cadFile.test(f)));
  return packs;
}

function mostlyProse(files: readonly string[]): boolean {
  const counted = files.filter((f) => !f.startsWith(".") && !/(^|\/)(LICEN[CS]E|CHANGELOG)/i.test(f));
  if (counted.length === 0) return false;
  return counted.filter((f) => proseFile.test(f)).length * 2 > counted.length;
}

/** The session's tool list: the code tools, then each chosen pack's, `finish` kept last. */
export function toolsWithPacks(base: readonly ToolDefinition[], packs: readonly PackName[]): ToolDefinition[] {
  const extra = packs.flatMap((p) => packDefinitions[p]);
  const finish = base.filter((t) => t.effect === "ends");
  return [...base.filter((t) => t.effect !== "ends"), ...extra, ...finish];
}

export function allPackDefinitions(): ToolDefinition[] {
  return Object.values(packDefinitions).flat();
}
