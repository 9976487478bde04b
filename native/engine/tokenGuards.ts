// The sampler's per-position token bans for the in-process engine: the grammar says what text may
// come next, these guards say which of the tokens spelling it the sampler must not take. Two of them,
// applied together at every step: UTF-8 (bytes that would not decode) and markers (special tokens).
//
// llama.cpp's grammar engine decodes bytes into code points leniently: an overlong sequence such as
// E0 9F BF or F0 8F BF BF, or a lead byte F8-FF, decodes to a code point the grammar admits although
// the bytes are not UTF-8 (they come out as U+FFFD). Random or weak models emit such bytes. This
// guard names, at each step, the tokens whose bytes would make the output invalid UTF-8, so the
// sampler can ban them; the grammar handles everything else.

/** The byte sequences of a model's tokens, decoded from its GGUF vocabulary. */
export type TokenBytes = readonly (Uint8Array | undefined)[];

/** Whether `bytes` is valid UTF-8 up to a possibly incomplete last sequence. */
export function isUtf8Prefix(bytes: Uint8Array): boolean {
  return utf8Pending(bytes) !== undefined;
}

/**
 * How many trailing bytes belong to an incomplete sequence, or undefined when the bytes are
 * invalid. Follows the well-formed table of the Unicode standard (no overlongs, no surrogates,
 * nothing above U+10FFFF).
 */
export function utf8Pending(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return undefined;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return bytes.length - i;
      const c = bytes[i + k]!;
      const [lo, hi] = k === 1 ? secondByteRange(b) : [0x80, 0xbf];
      if (c < lo || c > hi) return undefined;
    }
    i += length;
  }
  return 0;
}

function secondByteRange(lead: number): readonly [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

/** The banned lists a guard needs at most this many distinct pending byte sequences at once. */
const BANNED_CACHE_LIMIT = 256;

/**
 * What a guard derives from a vocabulary: computed once per model and shared by every session's
 * guard, together with the banned lists met so far (one per pending byte sequence).
 */
export class Utf8Vocabulary {
  /** Tokens that are invalid after any text (e.g. a byte C0, C1 or F5-FF). */
  private readonly alwaysBanned: number[] = [];
  /** Tokens that begin with a continuation byte: valid only inside a pending sequence. */
  private readonly continuations: number[] = [];
  /** Banned lists keyed by the pending bytes ("" between characters). */
  private readonly bannedByPending = new Map<string, readonly number[]>();

  constructor(readonly tokenBytes: TokenBytes) {
    tokenBytes.forEach((bytes, token) => {
      if (!bytes || bytes.length === 0) return;
      if (bytes[0]! >= 0x80 && bytes[0]! <= 0xbf) this.continuations.push(token);
      else if (!isUtf8Prefix(bytes)) this.alwaysBanned.push(token);
    });
  }

  /** Tokens that must not follow the pending bytes of an incomplete character (the same list object for the same bytes while cached). */
  banned(pending: readonly number[]): readonly number[] {
    const key = String.fromCharCode(...pending);
    const cached = this.bannedByPending.get(key);
    if (cached) return cached;
    const banned = this.compute(pending);
    if (this.bannedByPending.size >= BANNED_CACHE_LIMIT) this.bannedByPending.delete(this.bannedByPending.keys().next().value!);
    this.bannedByPending.set(key, banned);
    return banned;
  }

  private compute(pending: readonly number[]): number[] {
    if (pending.length === 0) return [...this.alwaysBanned, ...this.continuations];
    const banned = [...this.alwaysBanned];
    for (const token of this.continuations) {
      if (!isUtf8Prefix(Uint8Array.from([...pending, ...this.tokenBytes[token]!]))) banned.push(token);
    }
    return banned;
  }
}

export class Utf8Guard {
  private readonly vocabulary: Utf8Vocabulary;
  private pending: number[] = [];

  /** Pass a shared Utf8Vocabulary to skip rescanning the vocabulary. */
  constructor(source: TokenBytes | Utf8Vocabulary) {
    this.vocabulary = source instanceof Utf8Vocabulary ? source : new Utf8Vocabulary(source);
  }

  /** Forget the pending bytes (a new turn starts). */
  reset(): void {
    this.pending = [];
  }

  /** Record a generated token. */
  accept(token: number): void {
    const bytes = this.vocabulary.tokenBytes[token];
    if (!bytes) return;
    const all = Uint8Array.from([...this.pending, ...bytes]);
    const pending = utf8Pending(all) ?? 0;
    this.pending = pending === 0 ? [] : [...all.subarray(all.length - pending)];
  }

  /** Tokens that must not come next: a cached list, the same object for the same pending bytes. */
  banned(): readonly number[] {
    return this.vocabulary.banned(this.pending);
  }
}

/** GPT-2's byte-to-unicode table, inverted: the byte each vocabulary character stands for. */
function gpt2CharToByte(): Map<string, number> {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const map = new Map<string, number>();
  let next = 256;
  for (let b = 0; b < 256; b++) map.set(String.fromCodePoint(printable(b) ? b : next++), b);
  return map;
}

/**
 * Token bytes from `tokenizer.ggml.model` and `tokenizer.ggml.tokens`: byte-level BPE ("gpt2") and
 * SentencePiece ("llama", with <0xNN> byte tokens). Other vocabularies give undefined (no guard).
 */
export function tokenBytesFromVocabulary(model: string, tokens: readonly string[]): TokenBytes | undefined {
  if (model === "gpt2") {
    const table = gpt2CharToByte();
    return tokens.map((t) => {
      const bytes = [...t].map((ch) => table.get(ch));
      return bytes.every((b) => b !== undefined) ? Uint8Array.from(bytes as number[]) : undefined;
    });
  }
  if (model === "llama") {
    return tokens.map((t) => {
      const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(t);
      return byte ? Uint8Array.of(parseInt(byte[1]!, 16)) : new TextEncoder().encode(t.replace(/\u2581/g, " "));
    });
  }
  return undefined;
}

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
