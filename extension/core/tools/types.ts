// The tool registry's vocabulary. Everything the model can do is described here once; the grammar,
// the tool documentation in the prompt, argument validation and the task panel all derive from it.
// This module (like all of extension/core) must not import `vscode`.

/** What a tool does to the world; decides whether a step is committed and whether Restricted Mode allows it. */
export type ToolEffect = "reads" | "writes" | "runs" | "ends";

export type ParamType = "string" | "integer" | "boolean" | "enum";

export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
  readonly description: string;
  /** Optional parameters may be left out of a call. */
  readonly optional?: boolean;
  /** Inclusive bounds for integers: the grammar only admits digits within them. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values for "enum". */
  readonly values?: readonly string[];
  /** Longest string the grammar admits, in characters. */
  readonly maxLength?: number;
}

/** A raw text body (code) carried outside the JSON arguments, so that it is never JSON-escaped. */
export interface BodySpec {
  readonly description: string;
  readonly optional?: boolean;
}

export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  readonly body?: BodySpec;
  readonly effect: ToolEffect;
}

export type ArgValue = string | number | boolean;

/** One parsed tool call: the only thing a model turn may produce. */
export interface ToolCall {
  readonly tool: string;
  readonly args: Readonly<Record<string, ArgValue>>;
  readonly body?: string;
}

/** A section as the task panel's outline lists it. */
export interface OutlineEntry {
  readonly level: number;
  readonly title: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly words: number;
}

/**
 * What a step shows in the task panel beside its text: a rendered view (a PNG as a data URI), or a
 * document's section outline. For the user only: never appended to the model's stream nor traced.
 */
export type ObservationAttachment =
  | { readonly kind: "image"; readonly dataUri: string; readonly width: number; readonly height: number; readonly caption: string }
  | { readonly kind: "outline"; readonly path: string; readonly sections: readonly OutlineEntry[] };

/** What a tool tells the model. A failure is an observation too, never an exception. */
export interface Observation {
  readonly ok: boolean;
  /** The text appended to the session stream for the model to read. */
  readonly text: string;
  /** Workspace-relative paths the call changed (empty for read-only tools or failed calls). */
  readonly changedFiles?: readonly string[];
  /** A short line for the task panel's timeline. */
  readonly summary?: string;
  readonly attachment?: ObservationAttachment;
}
