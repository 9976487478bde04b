// Budgets from the user's settings (infiniteToolUse.budget.*), with the manifest's defaults.
import type { Budgets } from "./types";

export interface BudgetSettings {
  readonly maxSteps?: number;
  readonly maxTokens?: number;
  readonly maxMinutes?: number;
  readonly repeatLimit?: number;
}

export const defaultBudgets: Budgets = { maxSteps: 200, maxTokens: 1_000_000, maxMs: 60 * 60_000, repeatLimit: 3 };

export function budgetsFromSettings(settings: BudgetSettings): Budgets {
  return {
    maxSteps: positive(settings.maxSteps, defaultBudgets.maxSteps),
    maxTokens: positive(settings.maxTokens, defaultBudgets.maxTokens),
    maxMs: positive(settings.maxMinutes, defaultBudgets.maxMs / 60_000) * 60_000,
    repeatLimit: Math.max(2, Math.floor(positive(settings.repeatLimit, defaultBudgets.repeatLimit))),
  };
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : fallback;
}
