// The replay fidelity report: of the text-only commits (nothing skipped), how many replays rebuilt
// the commit's tree exactly, and for every other one the reason, as plainly as the evidence allows.
import type { ReplayCheckOutcome } from "./checkProtocol";
import type { Manifest } from "./convertRange";

export interface FidelityMiss {
  readonly sha: string;
  readonly subject: string;
  readonly reason: string;
}

export interface FidelityReport {
  readonly textOnly: number;
  readonly exact: number;
  readonly misses: readonly FidelityMiss[];
  /** Commits with skipped files: whether the rest of the commit reproduced. */
  readonly withSkipped: readonly (FidelityMiss & { readonly restExact: boolean })[];
  /** Commits where the converter joined hunks so that every intermediate state parses. */
  readonly guardJoined: number;
  readonly merges: number;
}

function missReason(commit: Manifest["commits"][number], outcome: ReplayCheckOutcome | undefined): string {
  const parts: string[] = [];
  if (commit.problems.length) parts.push(`converter: ${commit.problems.join("; ")}`);
  if (!outcome) parts.push("not replayed");
  else {
    if (outcome.firstFailure) parts.push(`replay: ${outcome.firstFailure}`);
    if (!outcome.ended.startsWith("finished")) parts.push(`session ended ${outcome.ended}`);
    if (outcome.differences.length) parts.push(`differs in ${outcome.differences.slice(0, 5).join(", ")}${outcome.differences.length > 5 ? ` and ${outcome.differences.length - 5} more` : ""}`);
  }
  return parts.join("; ") || "unknown";
}

export function fidelityReport(manifest: Manifest, outcomes: readonly ReplayCheckOutcome[]): FidelityReport {
  const bySha = new Map(outcomes.map((o) => [o.sha, o]));
  const misses: FidelityMiss[] = [];
  const withSkipped: (FidelityMiss & { restExact: boolean })[] = [];
  let exact = 0;
  let textOnly = 0;
  for (const commit of manifest.commits) {
    const outcome = bySha.get(commit.sha);
    if (!commit.textOnly) {
      const skipped = commit.skipped.map((s) => `${s.path}: ${s.reason}`).join("; ");
      const problems = commit.problems.length ? `; converter: ${commit.problems.join("; ")}` : "";
      withSkipped.push({ sha: commit.sha, subject: commit.subject, reason: `skipped ${skipped}${problems}`, restExact: outcome?.exactOutsideSkipped ?? false });
      continue;
    }
    textOnly++;
    if (outcome?.exact) exact++;
    else misses.push({ sha: commit.sha, subject: commit.subject, reason: missReason(commit, outcome) });
  }
  return { textOnly, exact, misses, withSkipped, guardJoined: manifest.commits.filter((c) => c.guardJoins > 0).length, merges: manifest.merges.length };
}

export function fidelityLines(report: FidelityReport): string[] {
  const percent = report.textOnly === 0 ? 100 : (100 * report.exact) / report.textOnly;
  const lines = [`${report.exact}/${report.textOnly} commits reproduce the exact tree (${percent.toFixed(1)}% of the text-only commits)`];
  for (const miss of report.misses) lines.push(`  miss ${miss.sha.slice(0, 12)} ${miss.subject}: ${miss.reason}`);
  if (report.withSkipped.length) {
    lines.push(`${report.withSkipped.length} commits are not text-only (files skipped):`);
    for (const c of report.withSkipped) lines.push(`  ${c.sha.slice(0, 12)} ${c.subject}: ${c.reason}; the rest ${c.restExact ? "reproduces exactly" : "does not reproduce"}`);
  }
  if (report.guardJoined) lines.push(`${report.guardJoined} commits had hunks joined so that every intermediate state passes the syntax guard`);
  if (report.merges) lines.push(`${report.merges} merge commits left out (a merge has no single parent to replay from)`);
  return lines;
}

/** The done-when bar: at least 99% of the text-only commits reproduce exactly. */
export function meetsFidelityBar(report: FidelityReport): boolean {
  return report.textOnly === 0 || report.exact / report.textOnly >= 0.99;
}
