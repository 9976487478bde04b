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
