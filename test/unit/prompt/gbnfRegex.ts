// Test helper: turns the project's GBNF grammars (which have no recursive rules) into one JavaScript
// regular expression, so tests can check that a text is in a grammar's language without a model.
// Handles the constructs the project emits: literals, classes, rule references, groups, | ? * + {m,n}.

function parseRules(grammar: string): Map<string, string> {
  const rules = new Map<string, string>();
  for (const line of grammar.split("\n")) {
    const match = /^([a-z][a-z0-9-]*) ::= (.*)$/.exec(line);
    if (match) rules.set(match[1]!, match[2]!);
    else if (line.trim()) throw new Error(`unexpected GBNF line: ${line}`);
  }
  return rules;
}

function unescapeGbnf(text: string): string {
  return text.replace(/\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_m, e: string) => {
    if (/^[xuU]/.test(e) && e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return ({ n: "\n", r: "\r", t: "\t" } as Record<string, string>)[e] ?? e;
  });
}

const regexEscape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

function classToRegex(body: string): string {
  // Inside a class: translate GBNF escapes to \u{...}; keep ranges and negation.
  return `[${body.replace(/\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_m, e: string) => {
    if (/^[xuU]/.test(e) && e.length > 1) return `\\u{${parseInt(e.slice(1), 16).toString(16)}}`;
    return ({ n: "\\n", r: "\\r", t: "\\t" } as Record<string, string>)[e] ?? `\\${e}`;
  })}]`;
}

export function gbnfToRegex(grammar: string): RegExp {
  const rules = parseRules(grammar);
  const memo = new Map<string, string>();
  const expand = (name: string, stack: string[]): string => {
    const cached = memo.get(name);
    if (cached !== undefined) return cached;
    if (stack.includes(name)) throw new Error(`recursive rule ${name}`);
    const body = rules.get(name);
    if (body === undefined) throw new Error(`undefined rule ${name}`);
    const out = `(?:${translate(body, (ref) => expand(ref, [...stack, name]))})`;
    memo.set(name, out);
    return out;
  };
  return new RegExp(`^${expand("root", [])}$`, "u");
}

function translate(body: string, ref: (name: string) => string): string {
  let out = "";
  let i = 0;
  while (i < body.length) {
    const rest = body.slice(i);
    const ws = /^\s+/.exec(rest);
    const literal = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
    const cls = /^\[((?:[^\]\\]|\\.)*)\]/.exec(rest);
    const name = /^[a-z][a-z0-9-]*/.exec(rest);
    const count = /^\{\d+(,\d*)?\}/.exec(rest);
    const match = ws ?? literal ?? cls ?? name ?? count;
    if (ws) {
      // whitespace only separates items: it adds nothing to the pattern
    } else if (literal) out += regexEscape(unescapeGbnf(literal[1]!));
    else if (cls) out += classToRegex(cls[1]!);
    else if (name) out += ref(name[0]);
    else if (count) out += count[0];
    else if ("()|?*+".includes(rest[0]!)) out += rest[0] === "(" ? "(?:" : rest[0];
    else throw new Error(`cannot translate GBNF at: ${rest.slice(0, 40)}`);
    i += match ? match[0].length : 1;
  }
  return out;
}
