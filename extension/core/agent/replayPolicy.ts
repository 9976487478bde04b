// Replays recorded calls in order: a user feature (re-run a session on today's code) and the way the
// tests drive the whole product deterministically. It spends no tokens.
//
// An output that did not parse or validate was recorded as the pseudo-call `invalid_output` whose
// body is the raw text. Replay re-parses that text rather than running it as a tool: a call that
// parses goes to the loop (which validates it again, so a recorded validation error comes back the
// same), and text that does not parse is an invalid turn with the parser's error, as the model's was.
// The trace does not name the model's call syntax, so the text is parsed with each family's syntax
// (line, `<tool_call>` JSON, the LFM2, Granite 3 and Nemotron markers; each with and without a
// `<think>` block) and the one whose error is the recorded observation's is taken; a plain list of
// calls has no observations, and then the syntax is told from the text.
import { createAdapter } from "../prompt/adapters";
import { isParseError, TOOL_CALL_FORMATS, type ProtocolAdapter, type ToolCallFormat } from "../prompt/types";
import { toolDefinitions } from "../tools/definitions";
import type { Observation, ToolCall, ToolDefinition } from "../tools/types";
import { invalidOutputTool, notAToolCall } from "./modelPolicy";
import { validateCall } from "../tools/validate";
import { formatCallLine, parseReplayLine, parseReplaySteps, type ReplayStep } from "../sessions/traceFormat";
import type { Policy, PolicyResume, PolicyStart, PolicyTurn } from "./types";

export interface ReplayOptions {
  /** The adapter the recording's model used, to re-parse its invalid outputs; by default the
   * syntax is told from the text (`<tool_call>` tags: hermes; otherwise the line syntax). */
  readonly adapter?: ProtocolAdapter;
}

export class ReplayPolicy implements Policy {
  readonly name = "replay";
  private position = 0;
  private tools: readonly ToolDefinition[] = toolDefinitions;
  /** What each replayed call led to, in order (useful to compare a replay with its recording). */
  readonly observations: Observation[] = [];

  private readonly steps: readonly ReplayStep[];

  constructor(
    calls: readonly (ToolCall | ReplayStep)[],
    private readonly options: ReplayOptions = {},
  ) {
    this.steps = calls.map((c) => ("call" in c ? c : { call: c }));
  }

  static fromTrace(text: string, source?: string, options?: ReplayOptions): ReplayPolicy {
    return new ReplayPolicy(parseReplaySteps(text, source), options);
  }

  private get calls(): readonly ReplayStep[] {
    return this.steps;
  }

  async start({ tools }: Pick<PolicyStart, "tools">): Promise<{ tokens: number }> {
    this.position = 0;
    this.tools = tools;
    return { tokens: 0 };
  }

  /** A resumed session continues with the calls it had not yet replayed. */
  async resume({ completedSteps, tools }: Pick<PolicyResume, "completedSteps" | "tools">): Promise<{ tokens: number }> {
    if (completedSteps > this.calls.length) throw new Error(`the session already has ${completedSteps} steps; the replayed trace has only ${this.calls.length} calls`);
    this.position = completedSteps;
    this.tools = tools;
    return { tokens: 0 };
  }

  async next(): Promise<PolicyTurn> {
    // ITU_REPLAY_STEP_MS slows a replay down so that a test can interrupt it mid-run (the batch's
    // kill-and-resume test); unset, a replay runs at full speed.
    const pause = Number(process.env.ITU_REPLAY_STEP_MS ?? 0);
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    const step = this.calls[this.position];
    if (!step) return { kind: "exhausted", message: `the replayed trace ended after ${this.calls.length} calls without a finish call` };
    this.position++;
    if (step.call.tool === invalidOutputTool) return reparseInvalidOutput(step.call.body ?? "", this.tools, this.options.adapter, step.recorded?.text);
    return { kind: "call", call: step.call, tokens: 0, ms: 0 };
  }

  async observe(observation: Observation): Promise<{ tokens: number }> {
    this.observations.push(observation);
    return { tokens: 0 };
  }
}

/** The turn a recorded raw output gives when it is parsed again (see the file comment). */
export function reparseInvalidOutput(raw: string, tools: readonly ToolDefinition[], adapter?: ProtocolAdapter, recordedText?: string): PolicyTurn {
  // A replayed call that failed validation was recorded as its JSON call line.
  const asCallLine = callLine(raw);
  if (asCallLine) return { kind: "call", call: asCallLine, raw, tokens: 0, ms: 0 };
  if (adapter) return parseWith(adapter, raw, tools);
  const turns = candidateSyntaxes(raw).map((candidate) => parseWith(candidate, raw, tools));
  const recorded = recordedText === undefined ? undefined : turns.find((turn) => explains(turn, recordedText, tools));
  return recorded ?? turns[0]!;
}

/** The sniffed syntax first, then the others. */
function candidateSyntaxes(raw: string): ProtocolAdapter[] {
  const sniffed = syntaxMarkers.filter(([marker]) => raw.includes(marker)).flatMap(([, formats]) => formats);
  const thinks = raw.startsWith("<think>");
  const formats = [...new Set([...sniffed, ...TOOL_CALL_FORMATS])];
  return formats.flatMap((format) => [thinks, !thinks].map((allowThinking) => createAdapter(format, { allowThinking })));
}

/** A marker in the text names the families whose syntax it is (tried first). */
const syntaxMarkers: readonly (readonly [string, readonly ToolCallFormat[]])[] = [
  ["<tool_call>", ["hermes"]],
  ["<|tool_call_start|>", ["lfm2-json", "lfm2-pythonic"]],
  ["<|tool_call|>", ["granite3"]],
  ["<TOOLCALL>", ["nemotron"]],
];

function parseWith(adapter: ProtocolAdapter, raw: string, tools: readonly ToolDefinition[]): PolicyTurn {
  const parsed = adapter.parse(raw, tools);
  if (isParseError(parsed)) return { kind: "invalid", raw, error: notAToolCall(parsed.error), tokens: 0, ms: 0 };
  const { thinking, ...call } = parsed;
  return { kind: "call", call, raw, ...(thinking ? { thinking } : {}), tokens: 0, ms: 0 };
}

/** Whether a re-parsed turn leads to the recorded observation: its parse or validation error. */
function explains(turn: PolicyTurn, recordedText: string, tools: readonly ToolDefinition[]): boolean {
  if (turn.kind === "invalid") return recordedText.includes(turn.error);
  if (turn.kind !== "call") return false;
  const validation = validateCall(turn.call, tools);
  return !validation.ok && recordedText.includes(validation.error);
}

/** The call, when `raw` is exactly the JSON line the loop records for a replayed call. */
function callLine(raw: string): ToolCall | undefined {
  if (!raw.startsWith('{"tool":')) return undefined;
  try {
    const call = parseReplayLine(raw, "the recorded output");
    return call && formatCallLine(call) === raw ? call : undefined;
  } catch {
    return undefined;
  }
}
