// Framing by the model's own chat template (tokenizer.chat_template), rendered with
// @huggingface/jinja: a pure-JS Jinja made for HF chat templates (node-llama-cpp's Jinja wrapper is
// built on it too, but needs a loaded model and LlamaText, which the editor-independent core must
// not depend on). The stream stays append-only: each piece appended is the suffix that rendering a
// longer conversation adds. A turn's pieces come from a short conversation (system, task, the last
// call and its tool response), so a turn costs the same at step 10 and at step 10,000; the unit test
// checks, per template, that the pieces add up to what rendering the whole conversation gives.
//
// The call is given to the template as the assistant message's content (verbatim), not as
// structured tool_calls: a code body is raw text after the call, which no template's tool_calls can
// carry, and a turn must stay exactly what the model generated.
import { Template } from "@huggingface/jinja";
import type { Observation, ToolDefinition } from "../tools/types";
import { toolSchemas } from "./toolDocs";
import type { Segment } from "./types";

interface Message {
  readonly role: "system" | "user" | "assistant" | "tool";
  readonly content: string;
}

export interface TemplateOptions {
  /** Text of the beginning-of-text token, for templates that write {{ bos_token }}; "" leaves it to the runtime. */
  readonly bosToken?: string;
  /** Appended to the system text (e.g. Nemotron's " /no_think" switch, which the template itself removes). */
  readonly systemSuffix?: string;
}

const special = (text: string): Segment => ({ text, special: true });
const content = (text: string): Segment => ({ text, special: false });

/** Template text around `inner` (located verbatim, else trimmed); everything but `inner` is special. */
function around(text: string, inner: string, from = 0): Segment[] {
  for (const candidate of [inner, inner.trim()]) {
    const at = candidate ? text.indexOf(candidate, from) : -1;
    if (at >= 0) return [special(text.slice(0, at)), content(candidate), special(text.slice(at + candidate.length))].filter((s) => s.text);
  }
  // The template rewrote the content; then nothing in this piece may become a special token.
  return [content(text)];
}

export class TemplateFraming {
  private readonly template: Template;
  private system = "";
  private task = "";
  private tools: Record<string, unknown>[] = [];

  /** Throws when the template does not parse. */
  constructor(source: string, private readonly options: TemplateOptions = {}) {
    this.template = new Template(source);
  }

  render(messages: readonly Message[], addGenerationPrompt: boolean): string {
    return this.template.render({
      messages: messages as Message[],
      ...(this.tools.length ? { tools: this.tools } : {}),
      add_generation_prompt: addGenerationPrompt,
      bos_token: this.options.bosToken ?? "",
      eos_token: "",
    });
  }

  private head(): Message[] {
    return [
      { role: "system", content: this.system + (this.options.systemSuffix ?? "") },
      { role: "user", content: this.task },
    ];
  }

  /** The system turn and everything the template writes before the task's text. */
  preamble(system: string, tools: readonly ToolDefinition[], sampleTask = "\u2063TASK\u2063"): Segment[] {
    this.system = system;
    this.tools = toolSchemas(tools);
    this.task = sampleTask;
    const text = this.render(this.head(), false);
    const at = text.indexOf(sampleTask);
    if (at < 0) throw new Error("the template does not write the user's message verbatim");
    return [special(text.slice(0, at))];
  }

  /** The task's text and the rest of its turn. Call after preamble(). */
  taskTurn(task: string): Segment[] {
    const marker = "\u2063TASK\u2063";
    this.task = marker;
    const start = this.render(this.head(), false).indexOf(marker);
    this.task = task;
    const text = this.render(this.head(), false).slice(start);
    if (!text.startsWith(task)) throw new Error("the template does not write the task verbatim");
    return [content(task), ...(text.length > task.length ? [special(text.slice(task.length))] : [])];
  }

  /** What the template writes to open the model's turn (the generation prompt). */
  turnPrefix(): string {
    const head = this.head();
    const closed = this.render(head, false);
    const open = this.render(head, true);
    if (!open.startsWith(closed)) throw new Error("the generation prompt is not an append to the conversation");
    return open.slice(closed.length);
  }

  /**
   * Closes the model's turn and writes the tool response: what the template renders after the
   * call's text for [system, task, call, response]. Anchored at the call's own text, so history that
   * the template re-renders differently (a generation prompt's think markers it drops later) does not
   * change what is appended; the unit test names those deviations per template.
   */
  observation(observation: Observation, callText: string): Segment[] {
    const head = this.head();
    const base = this.render(head, false).length;
    const text = this.render([...head, { role: "assistant", content: callText }, { role: "tool", content: observation.text }], false);
    const anchor = callAnchor(callText);
    const at = text.indexOf(anchor, base);
    if (at < 0) throw new Error("the template does not write the model's call verbatim");
    return around(text.slice(at + anchor.length), observation.text);
  }
}

/** The call without a leading think block: templates may re-render thinking, never the call. */
function callAnchor(callText: string): string {
  const end = callText.lastIndexOf("</think>");
  return (end >= 0 ? callText.slice(end + "</think>".length) : callText).replace(/^\n+/, "");
}
