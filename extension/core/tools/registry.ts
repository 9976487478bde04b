// The executor every tool call goes through: validate against the registry, check the effect
// against Workspace Trust, run the implementation, and turn anything thrown into a failure
// observation, so no tool can end a session by throwing.
import { toolDefinitions } from "./definitions";
import type { Observation, ToolCall, ToolDefinition } from "./types";
import { validateCall } from "./validate";
import { errorMessage } from "../errorMessage";

/** The session state the notes, goal and finish tools work on; the agent loop supplies it. */
export interface SessionState {
  readonly goal: string;
  notes: string;
  /** Set by `finish`: the summary that ends the session. */
  finished?: string;
}

export interface ToolContext {
  readonly session: SessionState;
  readonly signal: AbortSignal;
}

export interface ToolImplementation {
  readonly definition: ToolDefinition;
  run(call: ToolCall, context: ToolContext): Promise<Observation>;
}

export interface ToolExecutorOptions {
  readonly implementations: readonly ToolImplementation[];
  readonly session: SessionState;
  /** Restricted Mode: tools that run code are refused while this returns false. */
  readonly isTrusted: () => boolean;
  readonly definitions?: readonly ToolDefinition[];
  /** Bodies larger than this (UTF-8 bytes) are refused; setting infiniteToolUse.tools.maxBodyBytes. */
  readonly maxBodyBytes?: number;
}

export const defaultMaxBodyBytes = 1024 * 1024;

export interface ToolExecutor {
  readonly definitions: readonly ToolDefinition[];
  readonly session: SessionState;
  execute(call: ToolCall, signal?: AbortSignal): Promise<Observation>;
}

export function failure(text: string): Observation {
  return { ok: false, text, summary: text.split("\n")[0]?.slice(0, 120) };
}

export function createToolExecutor(options: ToolExecutorOptions): ToolExecutor {
  const definitions = options.definitions ?? toolDefinitions;
  const byName = new Map(options.implementations.map((i) => [i.definition.name, i]));
  return {
    definitions,
    session: options.session,
    async execute(call, signal = new AbortController().signal) {
      const validation = validateCall(call, definitions);
      if (!validation.ok) return failure(validation.error);
      const tooLarge = bodyTooLarge(call, options.maxBodyBytes ?? defaultMaxBodyBytes);
      if (tooLarge) return failure(tooLarge);
      const implementation = byName.get(call.tool);
      if (!implementation) return failure(`${call.tool} is not available in this editor`);
      if (validation.definition.effect === "runs" && !options.isTrusted()) {
        return failure(`${call.tool} is unavailable: the workspace is in Restricted Mode (not trusted), so no tasks or commands can run. Ask the user to trust the workspace, or continue with reading and editing tools.`);
      }
      if (signal.aborted) return failure(`${call.tool} was cancelled before it started`);
      try {
        return await implementation.run(call, { session: options.session, signal });
      } catch (error) {
        return failure(`${call.tool} failed: ${errorMessage(error)}. Nothing was changed.`);
      }
    },
  };
}

/** A body over the limit would be written to disk, the trace and the step's commit; refuse it whole. */
export function bodyTooLarge(call: ToolCall, maxBytes: number): string | undefined {
  if (call.body === undefined) return undefined;
  const bytes = new TextEncoder().encode(call.body).length;
  if (bytes <= maxBytes) return undefined;
  return `${call.tool} was refused: its body is ${formatBytes(bytes)}, over the ${formatBytes(maxBytes)} limit (setting infiniteToolUse.tools.maxBodyBytes). Nothing was changed; write the content in several smaller edits.`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
