// A byte-level GPT-2 style BPE vocabulary: every byte is a token (so any UTF-8 text round-trips),
// a few merges so that the BPE path of llama.cpp's tokenizer is exercised, one end-of-text token and,
// for a model family's chat template, that family's special tokens as control tokens (so that markers
// such as <|im_start|> are single tokens, as in the real vocabulary).
import type { GgufValue } from "./ggufWriter";

const TOKEN_TYPE_NORMAL = 1;
const TOKEN_TYPE_CONTROL = 3;

export const END_OF_TEXT = "<|endoftext|>";

/** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to code points from 256 up. */
function byteToUnicode(): string[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const table: string[] = [];
  let next = 256;
  for (let b = 0; b < 256; b++) table.push(String.fromCodePoint(printable(b) ? b : next++));
  return table;
}

// Frequent pairs in code and English; each merge adds one token (the concatenation).
const MERGE_PAIRS: readonly (readonly [string, string])[] = [
  [" ", "t"], ["h", "e"], ["i", "n"], ["e", "r"], ["o", "n"], ["r", "e"], [" ", "a"], ["a", "t"],
  ["e", "n"], ["o", "r"], [" ", "s"], ["s", "t"], ["a", "n"], ["e", "s"], ["t", "e"], ["\"", ":"],
  [" ", " "], ["  ", "  "], ["(", ")"], ["{", "}"], ["n", "a"], ["m", "e"], ["na", "me"], ["a", "r"],
];

export interface ByteVocabulary {
  tokens: string[];
  merges: string[];
  tokenTypes: number[];
  endOfTextId: number;
}

/** `specialTokens`: extra control tokens (a family's chat and tool-call markers), after end-of-text. */
export function buildByteVocabulary(specialTokens: readonly string[] = []): ByteVocabulary {
  const byteMap = byteToUnicode();
  const encode = (text: string) => [...Buffer.from(text, "utf8")].map((b) => byteMap[b]!).join("");
  const tokens = [...byteMap];
  const merges: string[] = [];
  const known = new Set(tokens);
  for (const [left, right] of MERGE_PAIRS) {
    const a = encode(left);
    const b = encode(right);
    if (!known.has(a) || !known.has(b) || known.has(a + b)) throw new Error(`bad merge ${left}+${right}`);
    merges.push(`${a} ${b}`);
    tokens.push(a + b);
    known.add(a + b);
  }
  const tokenTypes = tokens.map(() => TOKEN_TYPE_NORMAL);
  tokens.push(END_OF_TEXT);
  tokenTypes.push(TOKEN_TYPE_CONTROL);
  const endOfTextId = tokens.length - 1;
  for (const special of specialTokens) {
    if (special === END_OF_TEXT) continue;
    if (known.has(special) || tokens.includes(special)) throw new Error(`special token ${special} given twice`);
    tokens.push(special);
    tokenTypes.push(TOKEN_TYPE_CONTROL);
  }
  return { tokens, merges, tokenTypes, endOfTextId };
}

export function tokenizerMetadata(vocabulary: ByteVocabulary): [string, GgufValue][] {
  return [
    ["tokenizer.ggml.model", { type: "string", value: "gpt2" }],
    ["tokenizer.ggml.pre", { type: "string", value: "gpt-2" }],
    ["tokenizer.ggml.tokens", { type: "string[]", value: vocabulary.tokens }],
    ["tokenizer.ggml.token_type", { type: "i32[]", value: vocabulary.tokenTypes }],
    ["tokenizer.ggml.merges", { type: "string[]", value: vocabulary.merges }],
    ["tokenizer.ggml.bos_token_id", { type: "u32", value: vocabulary.endOfTextId }],
    ["tokenizer.ggml.eos_token_id", { type: "u32", value: vocabulary.endOfTextId }],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: false }],
    ["tokenizer.ggml.add_eos_token", { type: "bool", value: false }],
  ];
}
