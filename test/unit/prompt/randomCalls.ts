// Seeded random tool calls for round-trip tests: arguments and bodies full of the characters that
// break tool-call formats (quotes, backslashes, tabs, CRLF, non-ASCII, fence-like lines).
import type { ArgValue, ParamSpec, ToolCall, ToolDefinition } from "../../../extension/core/tools/types";
import { BODY_FENCE } from "../../../extension/core/prompt";

const CHARS = ["a", "Z", "0", " ", '"', "\\", "/", "\t", "é", "中", "😀", "ß", "{", "}", ":", ",", "=", "@", "<", ">", "\u00a0", "\u2028"];
const STRING_EXTRA = ["\n", "\r"];
const BODY_LINES = [
  "",
  "const s = \"quoted\\n\";",
  "\tindented with a tab",
  "ends with CR\r",
  "naïve — 日本語 — 😀",
  `${BODY_FENCE.close} not alone`,
  ` ${BODY_FENCE.close}`,
  `${BODY_FENCE.close}\r`,
  BODY_FENCE.close.slice(0, -1),
  BODY_FENCE.open,
  "</tool_call>",
  "<tool_call>",
  "'single' \"double\" `back`",
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function randomString(random: () => number, maxLength: number): string {
  const length = Math.floor(random() * Math.min(maxLength, 30) + (random() < 0.1 ? 0 : 0));
  let out = "";
  for (let i = 0; i < length; i++) out += pick(random, random() < 0.1 ? STRING_EXTRA : CHARS);
  return out;
}

function randomValue(random: () => number, param: ParamSpec): ArgValue {
  switch (param.type) {
    case "string":
      return randomString(random, param.maxLength ?? 50);
    case "integer": {
      const min = param.min ?? -1000;
      const max = param.max ?? 1000;
      const edge = random();
      if (edge < 0.2) return min;
      if (edge < 0.4) return max;
      return min + Math.floor(random() * (max - min + 1));
    }
    case "boolean":
      return random() < 0.5;
    case "enum":
      return pick(random, param.values ?? []);
  }
}

export function randomBody(random: () => number): string {
  const lines: string[] = [];
  const count = Math.floor(random() * 6);
  for (let i = 0; i <= count; i++) lines.push(pick(random, BODY_LINES));
  return lines.join(random() < 0.5 ? "\n" : "\r\n");
}

export function randomCall(random: () => number, tools: readonly ToolDefinition[]): ToolCall {
  const tool = pick(random, tools);
  const args: Record<string, ArgValue> = {};
  for (const param of tool.params) {
    if (param.optional && random() < 0.5) continue;
    args[param.name] = randomValue(random, param);
  }
  const withBody = tool.body && (!tool.body.optional || random() < 0.7);
  return { tool: tool.name, args, ...(withBody ? { body: randomBody(random) } : {}) };
}
