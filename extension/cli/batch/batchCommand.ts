// `batch`: one headless session per issue, N at a time, then the summary table.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { errorMessage } from "../../core/errorMessage";
import type { BatchOptions } from "./batchArgs";
import { batchIssues } from "./batchIssues";
import { runBatch } from "./batchRunner";
import { batchJson, batchTable } from "./batchTable";

export async function runBatchCommand(options: BatchOptions, print: (line: string) => void, printError: (line: string) => void): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), "itu-batch-"));
  try {
    let issues;
    try {
      issues = await batchIssues(options, scratch);
    } catch (error) {
      printError(`batch: ${errorMessage(error)}`);
      return 2;
    }
    // Progress goes to stderr with --json so that stdout stays one JSON object.
    const progress = options.json ? printError : print;
    progress(`batch: ${issues.length} issues, ${options.parallel} at a time`);
    const rows = await runBatch(issues, options, { cli: fileURLToPath(import.meta.url), progress });
    print(options.json ? batchJson(rows) : batchTable(rows));
    return rows.every((r) => r.outcome === "finished" || r.outcome === "skipped") ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
