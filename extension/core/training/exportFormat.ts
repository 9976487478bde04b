// The training export (docs/training-data.md): one JSON line per session holding exactly the
// sequence the model saw and wrote, in the model's own rendering, cut into spans labelled by role
// so that a trainer can mask what the model did not write. Versioned like the trace format.

export const exportVersion = 1;
export const exportFormatName = "infinite-tool-use/export";

/**
 * preamble: the system turn (rules, tool documentation). task: the user's task. call: a tool call
 * the model wrote. notes: a `notes` call the model wrote (its scratchpad; trainers may keep or mask
 * it). observation: what a tool answered, and the template text that opens the model's next turn.
 */
export const spanRoles = ["preamble", "task", "call", "notes", "observation"] as const;
export type SpanRole = (typeof spanRoles)[number];

/** Roles whose text the model itself wrote: the ones a trainer learns from. */
export const modelWrittenRoles: readonly SpanRole[] = ["call", "notes"];

export interface ExportSpan {
  readonly role: SpanRole;
  readonly text: string;
  /** Template text whose chat markers are control tokens (tokenised with special tokens on). */
  readonly special: boolean;
  /** The trace step this span belongs to (absent for the preamble and the task). */
  readonly step?: number;
  /** Token ids, when the export was given the model file. */
  readonly tokens?: readonly number[];
}

export interface ExportRecord {
  readonly format: typeof exportFormatName;
  readonly version: number;
  readonly sessionId: string;
  readonly branch: string;
  readonly task: string;
  readonly issue?: number;
  readonly base: { readonly ref: string | null; readonly commit: string };
  /** The tool-call format the text is rendered in (plain, hermes, rwkv). */
  readonly toolCallFormat: string;
  /** The model whose tokenizer gave the ids (file name and architecture), when one was given. */
  readonly model?: { readonly file: string; readonly architecture: string };
  readonly steps: number;
  readonly finished: boolean;
  /** Every span's text, concatenated: the whole stream. */
  readonly text: string;
  readonly spans: readonly ExportSpan[];
}

/** Checks one parsed export line against this version's schema; returns the problems (none: valid). */
export function exportRecordProblems(value: unknown): string[] {
  const problems: string[] = [];
  const record = value as Partial<ExportRecord> | null;
  if (typeof record !== "object" || record === null) return ["not a JSON object"];
  if (record.format !== exportFormatName) problems.push(`format is not ${exportFormatName}`);
  if (record.version !== exportVersion) problems.push(`version is not ${exportVersion}`);
  for (const key of ["sessionId", "branch", "task", "toolCallFormat", "text"] as const) if (typeof record[key] !== "string") problems.push(`${key} is not a string`);
  if (typeof record.steps !== "number" || typeof record.finished !== "boolean") problems.push("steps or finished is missing");
  if (!Array.isArray(record.spans)) return [...problems, "spans is not a list"];
  let joined = "";
  record.spans.forEach((span: Partial<ExportSpan>, i) => {
    if (!spanRoles.includes(span.role as SpanRole)) problems.push(`span ${i}: role ${String(span.role)} is not one of ${spanRoles.join(", ")}`);
    if (typeof span.text !== "string") problems.push(`span ${i}: text is not a string`);
    if (typeof span.special !== "boolean") problems.push(`span ${i}: special is not a boolean`);
    if (span.tokens !== undefined && !(Array.isArray(span.tokens) && span.tokens.every((t) => Number.isInteger(t) && t >= 0))) problems.push(`span ${i}: tokens are not token ids`);
    if ((span.tokens === undefined) !== (record.model === undefined)) problems.push(`span ${i}: tokens must be given exactly when the model is`);
    joined += span.text ?? "";
  });
  if (joined !== record.text) problems.push("text is not the spans' texts concatenated");
  return problems;
}
