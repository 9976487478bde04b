// What a .scad file reads besides itself: `include <...>` / `use <...>`, `import(...)`, `surface(...)`
// and any `file = ...` argument. Found before OpenSCAD runs, so that a model cannot make it read a
// file outside the workspace (OpenSCAD itself would read any path it is given).

export interface FileReference {
  readonly kind: "include" | "use" | "import" | "surface" | "file argument";
  /** The path as written; undefined when it is not a string literal (a variable, an expression). */
  readonly target: string | undefined;
  readonly line: number;
}

/** The source with comments and string contents blanked (same length, same line breaks). */
function code(source: string): { blanked: string; strings: Map<number, string> } {
  const out: string[] = [];
  const strings = new Map<number, string>();
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) out.push(source[k] === "\n" ? "\n" : " ");
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      const stop = end < 0 ? source.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"') {
      let j = i + 1;
      let value = "";
      while (j < source.length && source[j] !== '"' && source[j] !== "\n") {
        const escaped = source[j] === "\\" && j + 1 < source.length;
        value += escaped ? source[j + 1] : source[j];
        j += escaped ? 2 : 1;
      }
      strings.set(i, value);
      out.push('"');
      blank(i + 1, j);
      if (source[j] === '"') out.push('"');
      i = source[j] === '"' ? j + 1 : j;
    } else {
      out.push(c);
      i++;
    }
  }
  return { blanked: out.join(""), strings };
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function fileReferences(source: string): FileReference[] {
  const { blanked, strings } = code(source);
  const found: FileReference[] = [];
  for (const match of blanked.matchAll(/\b(include|use)\s*<([^>\n]*)>/g)) {
    // The <...> path is not a string literal, so it is read from the original text.
    const start = match.index + match[0].indexOf("<") + 1;
    found.push({ kind: match[1] as "include" | "use", target: source.slice(start, start + match[2]!.length).trim(), line: lineAt(source, match.index) });
  }
  const literalAt = (index: number): string | undefined => {
    let i = index;
    while (i < blanked.length && /\s/.test(blanked[i]!)) i++;
    if (blanked[i] !== '"') return undefined;
    const value = strings.get(i);
    // A literal followed by more expression (`"a" + x` is not valid OpenSCAD, but str(...) is a call).
    let j = i + 1;
    while (j < blanked.length && blanked[j] !== '"') j++;
    j++;
    while (j < blanked.length && /\s/.test(blanked[j]!)) j++;
    return blanked[j] === ")" || blanked[j] === "," ? value : undefined;
  };
  for (const match of blanked.matchAll(/\b(import|surface)\s*\(/g)) {
    const kind = match[1] as "import" | "surface";
    const after = match.index + match[0].length;
    const named = /^\s*file\s*=/.exec(blanked.slice(after));
    // A `file =` argument is reported by the general rule below.
    if (named) continue;
    found.push({ kind, target: literalAt(after), line: lineAt(source, match.index) });
  }
  for (const match of blanked.matchAll(/\bfile\s*=(?!=)/g)) {
    found.push({ kind: "file argument", target: literalAt(match.index + match[0].length), line: lineAt(source, match.index) });
  }
  return found.sort((a, b) => a.line - b.line);
}

export interface OpenscadMessage {
  readonly severity: "error" | "warning";
  readonly text: string;
  /** As OpenSCAD names it (relative to the file's folder); undefined when it names none. */
  readonly file?: string;
  readonly line?: number;
}

/** ERROR / WARNING lines of OpenSCAD's output, with their file and line when given. */
export function openscadMessages(output: string): OpenscadMessage[] {
  const messages: OpenscadMessage[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const match = /^(ERROR|WARNING|DEPRECATED):\s*(.*)$/.exec(raw.trim());
    if (!match) continue;
    let text = match[2]!;
    let file: string | undefined;
    let line: number | undefined;
    const where = /,?\s*in file (.+?), line (\d+)\s*:?\s*/.exec(text);
    if (where) {
      file = where[1];
      line = Number(where[2]);
      text = (text.slice(0, where.index) + " " + text.slice(where.index + where[0].length)).replace(/\s+/g, " ").replace(/\s*:\s*$/, "").trim();
    }
    messages.push({ severity: match[1] === "ERROR" ? "error" : "warning", text, ...(file ? { file } : {}), ...(line ? { line } : {}) });
  }
  return messages;
}
