// Checks a from-git output folder against this version's format (docs/training-data.md): the
// manifest's fields, and every call file as replay input whose calls fit the tool registry.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseReplayScript } from "../sessions/traceFormat";
import { errorMessage } from "../errorMessage";
import { toolDefinitions } from "../tools/definitions";
import { validateCall } from "../tools/validate";
import { fromGitVersion } from "./types";

export function fromGitOutputProblems(dir: string): string[] {
  const problems: string[] = [];
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Record<string, unknown>;
  } catch (error) {
    return [`manifest.json: ${errorMessage(error)}`];
  }
  if (manifest.format !== "infinite-tool-use/from-git") problems.push("format is not infinite-tool-use/from-git");
  if (manifest.version !== fromGitVersion) problems.push(`version is not ${fromGitVersion}`);
  if (typeof manifest.range !== "string") problems.push("range is not a string");
  if (!Array.isArray(manifest.commits)) return [...problems, "commits is not a list"];
  const files = [...(manifest.commits as Record<string, unknown>[]).map((c, i) => {
    if (typeof c.sha !== "string" || !/^[0-9a-f]{40,64}$/.test(c.sha)) problems.push(`commit ${i}: sha is not an object id`);
    if (c.parent !== null && typeof c.parent !== "string") problems.push(`commit ${i}: parent is neither null nor an object id`);
    for (const key of ["subject", "file"]) if (typeof c[key] !== "string") problems.push(`commit ${i}: ${key} is not a string`);
    for (const key of ["calls", "guardJoins"]) if (!Number.isInteger(c[key])) problems.push(`commit ${i}: ${key} is not a whole number`);
    if (typeof c.textOnly !== "boolean") problems.push(`commit ${i}: textOnly is not a boolean`);
    for (const key of ["skipped", "problems", "rewritten"]) if (!Array.isArray(c[key])) problems.push(`commit ${i}: ${key} is not a list`);
    return String(c.file);
  }), ...(typeof manifest.session === "string" ? [manifest.session] : [])];
  for (const file of files) {
    if (!existsSync(join(dir, file))) {
      problems.push(`${file} is missing`);
      continue;
    }
    try {
      const calls = parseReplayScript(readFileSync(join(dir, file), "utf8"), file);
      calls.forEach((call, i) => {
        const valid = validateCall(call, toolDefinitions);
        if (!valid.ok) problems.push(`${file}, call ${i + 1}: ${valid.error}`);
      });
      if (calls.at(-1)?.tool !== "finish") problems.push(`${file} does not end with finish`);
    } catch (error) {
      problems.push(errorMessage(error));
    }
  }
  return problems;
}
