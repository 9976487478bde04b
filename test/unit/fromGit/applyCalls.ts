// Applies converted calls to an in-memory tree with the tools' own line arithmetic
// (core/tools/text.ts): a fast check of the converter's logic. The real check, in VS Code, is
// check.test.ts.
import { bodyLines, guardMatches, replaceLines, splitText } from "../../../extension/core/tools/text";
import type { ToolCall } from "../../../extension/core/tools/types";

export function applyCalls(files: Map<string, string>, calls: readonly ToolCall[]): void {
  for (const call of calls) {
    const path = String(call.args.path ?? "");
    const text = files.get(path);
    const fail = (why: string) => {
      throw new Error(`${call.tool} ${JSON.stringify(call.args)}: ${why}`);
    };
    switch (call.tool) {
      case "open_range":
        if (text === undefined) fail("no such file");
        break;
      case "replace_range": {
        if (text === undefined) return fail("no such file");
        const lines = splitText(text).lines;
        const start = Number(call.args.start);
        const end = Number(call.args.end);
        if (!guardMatches(lines[start - 1] ?? "", String(call.args.start_text))) fail("start_text does not match");
        if (!guardMatches(lines[end - 1] ?? "", String(call.args.end_text))) fail("end_text does not match");
        const r = replaceLines(text, start, end, bodyLines(call.body));
        if (!r.ok) return fail(r.error);
        files.set(path, r.text);
        break;
      }
      case "insert_lines": {
        if (text === undefined) return fail("no such file");
        const after = Number(call.args.after);
        const r = replaceLines(text, after + 1, after, bodyLines(call.body));
        if (!r.ok) return fail(r.error);
        files.set(path, r.text);
        break;
      }
      case "create_file": {
        if (text !== undefined) fail("exists");
        const body = call.body ?? "";
        files.set(path, body === "" || body.endsWith("\n") || call.args.final_newline === false ? body : `${body}\n`);
        break;
      }
      case "delete_file":
        if (!files.delete(path)) fail("no such file");
        break;
      case "rename_file":
        if (text === undefined) return fail("no such file");
        files.delete(path);
        files.set(String(call.args.to), text);
        break;
      default:
        break;
    }
  }
}
