// A family's markers (<|tool_call_start|>, <|im_end|>, <think>, ...) are single special tokens in
// its vocabulary, and the model was trained on those tokens. llama.cpp's grammar matches token
// text, which leaves two gaps this guard closes (node-llama-cpp parses grammars without a
// vocabulary, so GBNF's own token syntax, <|name|>, is not available):
// - inside content (a string argument, a body line) the grammar admits any text, so also a special
//   token's text: special tokens are banned wherever ordinary text is free (a probe letter is admitted);
// - where the grammar admits a marker, it also admits the marker spelled out of ordinary pieces
//   ("<", "|", ...), which the model never saw: a piece that can only go on to spell the marker is
//   banned, and once a piece that also leads elsewhere ("<" of "<<<BODY") is taken, continuing the
//   spelling is banned.
// A fenced section's closing marker (</think> on its own line) is the one marker met where text is
// free. Its token is admitted at a line's start only where the grammar gives it a meaning of its
// own: the state after the marker and a newline differs from the state after a text line. Inside
// the section any other marker's text (<think>, <tool_call>) is just a text line, so its token is
// banned there; and after a closing token only a newline may follow, so it never begins a text line
// ("</think>more" is text the grammar admits).
import type { TokenBytes } from "./utf8Guard";

const TOKEN_TYPE_CONTROL = 3;
const TOKEN_TYPE_USER_DEFINED = 4;

export interface MarkerToken {
  readonly token: number;
  readonly text: string;
}

/** Texts of the vocabulary's control and user-defined tokens, by token id. */
export function specialTokenTexts(tokens: readonly string[], types: readonly number[] | undefined): Map<number, string> {
  const out = new Map<number, string>();
  types?.forEach((type, id) => {
    if ((type === TOKEN_TYPE_CONTROL || type === TOKEN_TYPE_USER_DEFINED) && tokens[id]) out.set(id, tokens[id]!);
  });
  return out;
}

/** What a guard needs of a vocabulary: computed once per model. */
export interface GuardVocabulary {
  readonly specials: ReadonlyMap<number, string>;
  /** Ordinary tokens' texts (undefined for special tokens and unreadable ones). */
  readonly pieces: readonly (string | undefined)[];
  /** End-of-generation tokens, never banned (the grammar admits them only when the call is complete). */
  readonly endTokens: readonly number[];
  /** An ordinary token for a plain letter: admitted only where text is free. */
  readonly probe: number | undefined;
}

export function guardVocabulary(specials: ReadonlyMap<number, string>, tokenBytes: TokenBytes | undefined, endTokens: readonly number[]): GuardVocabulary {
  const decoder = new TextDecoder();
  const pieces = (tokenBytes ?? []).map((b, id) => (b && !specials.has(id) ? decoder.decode(b) : undefined));
  const probe = ["x", "q", "a"].map((c) => pieces.indexOf(c)).find((i) => i >= 0);
  return { specials, pieces, endTokens, probe };
}

/** The grammar operations the guard needs (node-llama-cpp's grammar evaluation state). */
export interface GrammarProbe {
  admits(token: number): boolean;
  /** Whether, after `token`, the grammar admits any of `tokens`. */
  admitsAfter(token: number, tokens: readonly number[]): boolean;
  /** Which of `candidates` the grammar admits after the tokens of `prefix`. */
  admittedAfter(prefix: readonly number[], candidates: readonly number[]): number[];
}

export class SpecialTokenGuard {
  private readonly markers: MarkerToken[];
  private readonly banSpecials: number[];
  /** Single-character ordinary tokens: what could follow a spelled prefix. */
  private readonly singles: number[];
  private spelled: { markers: MarkerToken[]; text: string } | undefined;

  constructor(private readonly vocabulary: GuardVocabulary, grammar: string) {
    this.markers = [...vocabulary.specials]
      .filter(([, text]) => text.length >= 2 && grammar.includes(text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')))
      .map(([token, text]) => ({ token, text }));
    this.banSpecials = [...vocabulary.specials.keys()].filter((t) => !vocabulary.endTokens.includes(t));
    this.singles = vocabulary.pieces.flatMap((p, id) => (p !== undefined && [...p].length === 1 ? [id] : []));
    const newline = vocabulary.pieces.indexOf("\n");
    this.newline = newline >= 0 ? newline : undefined;
    // Enough to tell a text line's state from a structural one, cheap in a large vocabulary.
    this.witnesses = [...this.singles.filter((id) => vocabulary.pieces[id]!.charCodeAt(0) < 0x80), ...this.markers.map((m) => m.token)];
  }

  get active(): boolean {
    return this.banSpecials.length > 0;
  }

  private lineStart = true;
  private readonly newline: number | undefined;

  private readonly witnesses: number[];
  /** Closing markers admitted by the last banned(); after one is taken, a newline must follow. */
  private closingOffered: ReadonlySet<number> | undefined;
  private afterClosing = false;
  private notNewline: number[] | undefined;

  reset(): void {
    this.spelled = undefined;
    this.lineStart = true;
    this.closingOffered = undefined;
    this.afterClosing = false;
  }

  /** Record a generated token. */
  accept(token: number): void {
    this.afterClosing = this.closingOffered?.has(token) ?? false;
    this.closingOffered = undefined;
    const piece = this.vocabulary.pieces[token];
    this.lineStart = piece === undefined ? false : piece.endsWith("\n");
    const from = this.spelled ? this.spelled : this.pendingStart && piece !== undefined ? { markers: this.pendingStart, text: "" } : undefined;
    this.pendingStart = undefined;
    if (!from || piece === undefined) {
      this.spelled = undefined;
      return;
    }
    const text = from.text + piece;
    const markers = from.markers.filter((m) => m.text.startsWith(text) && m.text !== text);
    this.spelled = markers.length ? { markers, text } : undefined;
  }

  private pendingStart: MarkerToken[] | undefined;

  /**
   * Whether `marker` at this line's start is the grammar's marker, not a text line that happens to
   * be spelled like it: after it and a newline, the grammar must go on differently than after a
   * line of ordinary text (the probe letter) and a newline.
   */
  private closesHere(grammar: GrammarProbe, marker: number, probe: number): boolean {
    const newline = this.newline!;
    if (!grammar.admits(marker) || !grammar.admitsAfter(marker, [newline])) return false;
    const afterMarker = grammar.admittedAfter([marker, newline], this.witnesses);
    const afterText = grammar.admittedAfter([probe, newline], this.witnesses);
    return afterMarker.length !== afterText.length || afterMarker.some((t, i) => t !== afterText[i]);
  }

  /** Tokens to ban now, as a key (for caching) and the list. */
  banned(grammar: GrammarProbe): { key: string; tokens: number[] } {
    const probe = this.vocabulary.probe;
    if (this.afterClosing) {
      // A closing marker's token was taken: its line ends here (the text branch is banned).
      this.notNewline ??= [...this.banSpecials, ...this.vocabulary.pieces.flatMap((p, id) => (p !== undefined && !p.startsWith("\n") ? [id] : []))];
      return { key: "after-closing", tokens: this.notNewline };
    }
    if (probe !== undefined && grammar.admits(probe)) {
      // Free text; a marker may still close a fenced section here (</think> on its own line).
      const closing = this.lineStart && this.newline !== undefined ? this.markers.filter((m) => this.closesHere(grammar, m.token, probe)) : [];
      if (closing.length === 0) return { key: "content", tokens: this.banSpecials };
      const allowed = new Set(closing.map((m) => m.token));
      this.closingOffered = allowed;
      return { key: `content+${[...allowed].join(",")}`, tokens: this.banSpecials.filter((t) => !allowed.has(t)) };
    }
    const tokens: number[] = [];
    const keys: string[] = [];
    if (this.spelled) {
      // A spelling begun on a piece that also led elsewhere: it may not be completed.
      for (const marker of this.spelled.markers) {
        const rest = marker.text.slice(this.spelled.text.length);
        this.vocabulary.pieces.forEach((p, id) => {
          if (p !== undefined && (rest.startsWith(p) || p.startsWith(rest))) tokens.push(id);
        });
      }
      keys.push(`spelled:${this.spelled.markers.map((m) => m.token).join("+")}:${this.spelled.text}`);
    }
    const admitted = this.markers.filter((m) => grammar.admits(m.token));
    if (admitted.length === 0) return { key: keys.join(","), tokens };
    const pending: MarkerToken[] = [];
    this.vocabulary.pieces.forEach((p, id) => {
      const spelling = admitted.filter((m) => m.text.startsWith(p ?? "\u0000") || (p !== undefined && p.startsWith(m.text)));
      if (p === undefined || spelling.length === 0 || !grammar.admits(id)) return;
      // Does this piece lead anywhere but into spelling an admitted marker?
      const elsewhere = this.singles.filter((s) => !admitted.some((m) => m.text.startsWith(p + this.vocabulary.pieces[s]!)));
      const partial = spelling.every((m) => m.text.length > p.length);
      if (partial && grammar.admitsAfter(id, elsewhere)) {
        pending.push(...spelling);
        return;
      }
      tokens.push(id);
      keys.push(String(id));
    });
    // Taking such a piece begins a spelling to watch (accept() sees which piece was taken).
    this.pendingStart = pending.length ? [...new Set(pending)] : undefined;
    return { key: keys.join(","), tokens };
  }
}
