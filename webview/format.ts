// Turning numbers into the short strings the panel shows. Pure functions (unit-tested in Node).
import type { Budget, DiffStat, Meters, ModelStatus, SessionView, StepStart } from "./protocol";

const grouped = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return grouped.format(n);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDiffStat(diff: DiffStat): string {
  return `+${diff.insertions} −${diff.deletions} in ${diff.files} ${diff.files === 1 ? "file" : "files"}`;
}

export function shortCommit(commit: string): string {
  return commit.slice(0, 7);
}

export function formatBudget(budget: Budget): string {
  const left = Math.max(0, budget.limit - budget.used);
  return `${formatCount(budget.used)} / ${formatCount(budget.limit)} (${formatCount(left)} left)`;
}

/** The meters as label/value rows, in the order the panel lists them. */
export function meterRows(meters: Meters): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ["Speed", meters.tokensPerSecond === undefined ? "—" : `${meters.tokensPerSecond.toFixed(1)} tok/s`],
    ["Step time", meters.stepMs === undefined ? "—" : formatDuration(meters.stepMs)],
    ["Tokens", formatCount(meters.tokens)],
    ["State size", meters.stateBytes === undefined ? "—" : formatBytes(meters.stateBytes)],
  ];
  for (const budget of meters.budgets) rows.push([budget.label, formatBudget(budget)]);
  return rows;
}

export function modelStateText(model: ModelStatus): string {
  const percent = model.progress === undefined ? "" : ` ${Math.round(model.progress * 100)}%`;
  switch (model.state) {
    case "none":
      return model.name ? "not loaded yet" : "no model chosen";
    case "downloading":
      return `downloading${percent}`;
    case "loading":
      return `loading${percent}`;
    case "ready":
      return "ready";
    case "error":
      return "failed to load";
  }
}

/** The one-line status under the task box. */
export function sessionStatusText(session: SessionView | null): string {
  if (!session) return "Idle";
  const steps = session.earlierSteps + session.steps.length;
  const done = `${steps} ${steps === 1 ? "step" : "steps"}`;
  switch (session.phase) {
    case "running":
      return session.running ? `Running step ${session.running.step}${session.running.tool ? `: ${session.running.tool}` : ""} (${done} done)` : `Running (${done} done)`;
    case "paused":
      return `Paused after ${done}`;
    case "ended":
      return `${session.end?.outcome === "finished" ? "Finished" : session.end?.outcome === "failed" ? "Failed" : "Stopped"} after ${done}`;
  }
}

/** The line under the timeline while a step is in progress. */
export function runningStepText(step: StepStart): string {
  if (!step.tool) return `#${step.step} — the model is choosing a call…`;
  return `${[`#${step.step}`, step.tool, step.keyArgs].filter(Boolean).join(" ")} — running…`;
}
