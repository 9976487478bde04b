// A recorded session as the exact sequence its model stream held: the same pieces, in the same
// order, rendered by the same protocol adapter that ModelPolicy appends (core/agent/modelPolicy.ts):
// the preamble and the task once; per step the turn prefix, the call's canonical text (an output
// that did not parse: its raw text), and the rendered observation (none after a successful finish).
// A step whose trace records the model's output (text and sampled ids) exports exactly that: a
// grammar-bound sampler often picks another token path than the tokenizer's for the same text, so
// re-tokenising a call does not give back what the model emitted.
import { invalidOutputTool } from "../agent/modelPolicy";
import type { ProtocolAdapter } from "../prompt/types";
import type { Trace } from "../sessions/traceFormat";
import type { ToolDefinition } from "../tools/types";
import { exportFormatName, exportVersion, type ExportRecord, type ExportSpan } from "./exportFormat";

export interface ExportOptions {
  readonly adapter: ProtocolAdapter;
  readonly tools: readonly ToolDefinition[];
  /** The model's tokenizer (engine's `tokenize(text, special)`); ids are left out without one. */
  readonly tokenize?: (text: string, special: boolean) => readonly number[];
  readonly model?: { readonly file: string; readonly architecture: string };
}

export function sessionSpans(trace: Trace, adapter: ProtocolAdapter, tools: readonly ToolDefinition[]): ExportSpan[] {
  const spans: ExportSpan[] = [
    { role: "preamble", text: adapter.renderPreamble(tools), special: true },
    { role: "task", text: adapter.renderTask(trace.header.task), special: false },
  ];
  let before: "task" | "observation" = "task";
  for (const step of trace.steps) {
    // The turn prefix is template text the model did not write: it goes with the context before it.
    if (adapter.turnPrefix) spans.push({ role: before, text: adapter.turnPrefix, special: true, step: step.step });
    const invalid = step.call.tool === invalidOutputTool;
    const role = step.call.tool === "notes" ? "notes" : "call";
    if (step.output) spans.push({ role, text: step.output.text, special: false, step: step.step, tokens: step.output.tokens });
    else spans.push({ role, text: invalid ? (step.call.body ?? "") : adapter.render(step.call, tools), special: false, step: step.step });
    const ended = step.effect === "ends" && step.observation.ok;
    if (!ended) spans.push({ role: "observation", text: adapter.renderObservation(step.observation), special: false, step: step.step });
    before = "observation";
  }
  return spans;
}

export function exportSession(trace: Trace, options: ExportOptions): ExportRecord {
  // Recorded ids are the truth; the rest is tokenised as the stream appended it. Without a tokenizer
  // no span carries ids (a recorded turn's ids belong to a model the export was not told about).
  const tokenize = options.tokenize;
  const spans = sessionSpans(trace, options.adapter, options.tools).map(({ tokens, ...span }) => (tokenize ? { ...span, tokens: tokens ? [...tokens] : [...tokenize(span.text, span.special)] } : span));
  const { header } = trace;
  return {
    format: exportFormatName,
    version: exportVersion,
    sessionId: header.sessionId,
    branch: header.branch,
    task: header.task,
    ...(header.issue !== undefined ? { issue: header.issue } : {}),
    base: header.base,
    toolCallFormat: options.adapter.format,
    ...(options.model ? { model: options.model } : {}),
    steps: trace.steps.length,
    finished: trace.end !== undefined,
    text: spans.map((s) => s.text).join(""),
    spans,
  };
}
