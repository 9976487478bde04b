// llama-server parses a grammar with the model's vocabulary, so GBNF can name a special token
// (`<|tool_call_start|>`): only that one token matches there. A marker written as a string literal
// matches its text, which ordinary pieces can also spell ("<", "|", ...), something the model never
// saw in training. The in-process engine closes that gap with its marker guard (node-llama-cpp parses
// grammars without a vocabulary); on the server the grammar itself does: each marker inside a string
// literal becomes a token reference. Character classes and other text are left as they are.

/** `grammar` with every occurrence of a marker inside a string literal as a token reference. */
export function withMarkerTokens(grammar: string, markers: readonly string[]): string {
  const usable = markers.filter((m) => /^<[^<>\s"\\[\]]+>$/.test(m)).sort((a, b) => b.length - a.length);
  if (usable.length === 0) return grammar;
  let out = "";
  let i = 0;
  while (i < grammar.length) {
    const c = grammar[i]!;
    if (c === "[") {
      const end = skipClass(grammar, i);
      out += grammar.slice(i, end);
      i = end;
    } else if (c === '"') {
      const end = skipLiteral(grammar, i);
      out += splitLiteral(grammar.slice(i + 1, end - 1), usable);
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index just past the character class that starts at `start`. */
function skipClass(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== "]") i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

/** Index just past the string literal that starts at `start`. */
function skipLiteral(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

/** A literal's raw body as a sequence: its text pieces quoted, its markers as token references. */
function splitLiteral(body: string, markers: readonly string[]): string {
  const parts: string[] = [];
  let text = "";
  let i = 0;
  while (i < body.length) {
    const marker = body[i] === "<" ? markers.find((m) => body.startsWith(m, i)) : undefined;
    if (marker) {
      if (text) parts.push(`"${text}"`);
      parts.push(marker);
      text = "";
      i += marker.length;
    } else {
      // Keep an escape and the character it escapes together.
      const step = body[i] === "\\" ? 2 : 1;
      text += body.slice(i, i + step);
      i += step;
    }
  }
  if (text || parts.length === 0) parts.push(`"${text}"`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(" ")})`;
}
