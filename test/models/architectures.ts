// Tensor layouts and hyper-parameters of the tiny test models, read from llama.cpp's
// src/models/<arch>.cpp (load_arch_hparams / load_arch_tensors) of the build bundled in node-llama-cpp.
import { TensorType, type GgufTensor, type GgufValue } from "./ggufWriter";

/** Architectures with a single kind of layer (recurrent or attention). */
export type SingleArchitecture = "mamba2" | "mamba" | "rwkv7" | "rwkv6" | "llama";
export const TINY_ARCHITECTURES: readonly SingleArchitecture[] = ["mamba2", "mamba", "rwkv7", "rwkv6", "llama"];
/** Hybrids: recurrent and attention layers in one model (odd layers attend; see isAttentionLayer). */
export const HYBRID_ARCHITECTURES = ["granitehybrid", "lfm2"] as const;
export type HybridArchitecture = (typeof HYBRID_ARCHITECTURES)[number];
export type TinyArchitecture = SingleArchitecture | HybridArchitecture;
/** Every architecture, the single-kind ones first. */
export const ALL_ARCHITECTURES: readonly TinyArchitecture[] = [...TINY_ARCHITECTURES, ...HYBRID_ARCHITECTURES];

/** Whether the architecture has attention layers (llama and the hybrids), whose KV cache grows with the context. */
export function hasAttention(arch: TinyArchitecture): boolean {
  return arch === "llama" || (HYBRID_ARCHITECTURES as readonly string[]).includes(arch);
}

export interface Shape {
  dModel: number;
  layers: number;
  vocabSize: number;
}

class TensorSet {
  readonly tensors: GgufTensor[] = [];
  constructor(private readonly random: () => number) {}

  private add(name: string, dims: readonly number[], value: (i: number) => number): void {
    const count = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = value(i);
    // Weights are F32 throughout: ssm_conv1d must be F32 (an F16 one aborts the process in ggml).
    this.tensors.push({ name, dims, type: TensorType.F32, data });
  }
  /** Uniform in [lo, hi]. */
  uniform(name: string, dims: readonly number[], lo: number, hi: number): void {
    this.add(name, dims, () => lo + (hi - lo) * this.random());
  }
  /** A projection matrix whose outputs keep roughly unit scale: U(-a, a), a = gain / sqrt(fan-in). */
  matrix(name: string, dims: readonly number[], gain = 1): void {
    const a = gain / Math.sqrt(dims[0]!);
    this.uniform(name, dims, -a, a);
  }
  constant(name: string, dims: readonly number[], value: number): void {
    this.add(name, dims, () => value);
  }
}

type Metadata = [string, GgufValue][];
const u32 = (value: number): GgufValue => ({ type: "u32", value });
const f32 = (value: number): GgufValue => ({ type: "f32", value });

function embeddings(t: TensorSet, s: Shape, withBiasedNorm: boolean): void {
  t.uniform("token_embd.weight", [s.dModel, s.vocabSize], -1, 1);
  t.constant("output_norm.weight", [s.dModel], 1);
  if (withBiasedNorm) t.constant("output_norm.bias", [s.dModel], 0);
  // A larger gain spreads the logits, so greedy choices are not near-ties.
  t.matrix("output.weight", [s.dModel, s.vocabSize], 3);
}

function mamba(t: TensorSet, s: Shape): Metadata {
  const d = s.dModel, dInner = 2 * d, dState = 16, dConv = 4, dtRank = Math.ceil(d / 16);
  embeddings(t, s, false);
  for (let i = 0; i < s.layers; i++) {
    const b = `blk.${i}`;
    t.constant(`${b}.attn_norm.weight`, [d], 1);
    t.matrix(`${b}.ssm_in.weight`, [d, 2 * dInner]);
    t.matrix(`${b}.ssm_conv1d.weight`, [dConv, dInner]);
    t.constant(`${b}.ssm_conv1d.bias`, [dInner], 0);
    t.matrix(`${b}.ssm_x.weight`, [dInner, dtRank + 2 * dState]);
    t.matrix(`${b}.ssm_dt.weight`, [dtRank, dInner]);
    t.uniform(`${b}.ssm_dt.bias`, [dInner], -4.6, -2.3); // softplus^-1 of dt in ~[0.01, 0.1]
    t.uniform(`${b}.ssm_a`, [dState, dInner], -16, -1); // A = -exp(A_log) < 0 keeps the scan stable
    t.constant(`${b}.ssm_d`, [dInner], 1);
    t.matrix(`${b}.ssm_out.weight`, [dInner, d]);
  }
  return [
    ["mamba.ssm.conv_kernel", u32(dConv)], ["mamba.ssm.inner_size", u32(dInner)],
    ["mamba.ssm.state_size", u32(dState)], ["mamba.ssm.time_step_rank", u32(dtRank)],
    ["mamba.attention.layer_norm_rms_epsilon", f32(1e-5)],
    ["mamba.feed_forward_length", u32(0)], ["mamba.attention.head_count", u32(0)],
  ];
}

// Mamba-2 mixer sizes: llama.cpp supports only an expansion factor of 2 (d_inner = 2 * n_embd).
const MAMBA2 = { dState: 16, dConv: 4, nGroup: 1, headDim: 32 } as const;

/** A Mamba-2 mixer (the tensors after attn_norm), shared by mamba2 and granitehybrid's recurrent layers. */
function mamba2Mixer(t: TensorSet, b: string, d: number): void {
  const { dState, dConv, nGroup, headDim } = MAMBA2;
  const dInner = 2 * d, nHead = dInner / headDim, convDim = dInner + 2 * nGroup * dState;
  t.matrix(`${b}.ssm_in.weight`, [d, dInner + convDim + nHead]);
  t.matrix(`${b}.ssm_conv1d.weight`, [dConv, convDim]);
  t.constant(`${b}.ssm_conv1d.bias`, [convDim], 0);
  t.uniform(`${b}.ssm_dt.bias`, [nHead], -4.6, -2.3);
  t.uniform(`${b}.ssm_a`, [1, nHead], -16, -1);
  t.constant(`${b}.ssm_d`, [1, nHead], 1);
  t.constant(`${b}.ssm_norm.weight`, [dInner / nGroup, nGroup], 1);
  t.matrix(`${b}.ssm_out.weight`, [dInner, d]);
}

function mamba2SsmMetadata(arch: string, d: number): Metadata {
  const { dState, dConv, nGroup, headDim } = MAMBA2;
  const dInner = 2 * d;
  return [
    [`${arch}.ssm.conv_kernel`, u32(dConv)], [`${arch}.ssm.inner_size`, u32(dInner)],
    [`${arch}.ssm.state_size`, u32(dState)], [`${arch}.ssm.time_step_rank`, u32(dInner / headDim)],
    [`${arch}.ssm.group_count`, u32(nGroup)],
  ];
}

function mamba2(t: TensorSet, s: Shape): Metadata {
  const d = s.dModel;
  embeddings(t, s, false);
  for (let i = 0; i < s.layers; i++) {
    const b = `blk.${i}`;
    t.constant(`${b}.attn_norm.weight`, [d], 1);
    mamba2Mixer(t, b, d);
  }
  return [
    ...mamba2SsmMetadata("mamba2", d),
    ["mamba2.attention.layer_norm_rms_epsilon", f32(1e-5)],
    ["mamba2.feed_forward_length", u32(0)], ["mamba2.attention.head_count", u32(0)],
  ];
}

function rwkvCommon(t: TensorSet, s: Shape, b: string): void {
  const d = s.dModel;
  for (const norm of ["attn_norm", "attn_norm_2", "time_mix_ln"]) {
    t.constant(`${b}.${norm}.weight`, [d], 1);
    t.constant(`${b}.${norm}.bias`, [d], 0);
  }
  for (const m of ["key", "value", "receptance", "output"]) t.matrix(`${b}.time_mix_${m}.weight`, [d, d]);
  t.uniform(`${b}.channel_mix_lerp_k.weight`, [d, 1, 1], 0, 1);
}

function rwkvEmbeddings(t: TensorSet, s: Shape): void {
  embeddings(t, s, true);
  t.constant("token_embd_norm.weight", [s.dModel], 1);
  t.constant("token_embd_norm.bias", [s.dModel], 0);
}

function rwkv6(t: TensorSet, s: Shape): Metadata {
  const d = s.dModel, headSize = 32, ff = Math.floor((d * 7) / 2), mixExtra = 32, decayExtra = 64;
  rwkvEmbeddings(t, s);
  for (let i = 0; i < s.layers; i++) {
    const b = `blk.${i}`;
    rwkvCommon(t, s, b);
    t.matrix(`${b}.time_mix_w1.weight`, [d, mixExtra * 5], 0.1);
    t.matrix(`${b}.time_mix_w2.weight`, [mixExtra, d, 5], 0.1);
    t.uniform(`${b}.time_mix_lerp_x.weight`, [d, 1, 1], 0, 1);
    t.uniform(`${b}.time_mix_lerp_fused.weight`, [d, 1, 1, 5], 0, 1);
    t.uniform(`${b}.time_mix_first.weight`, [headSize, d / headSize], -1, 1);
    t.uniform(`${b}.time_mix_decay.weight`, [d], -6, -1); // w = exp(-exp(decay)) in (0.69, 0.998)
    t.matrix(`${b}.time_mix_decay_w1.weight`, [d, decayExtra], 0.1);
    t.matrix(`${b}.time_mix_decay_w2.weight`, [decayExtra, d], 0.1);
    t.matrix(`${b}.time_mix_gate.weight`, [d, d]);
    t.uniform(`${b}.channel_mix_lerp_r.weight`, [d, 1, 1], 0, 1);
    t.matrix(`${b}.channel_mix_key.weight`, [d, ff]);
    t.matrix(`${b}.channel_mix_value.weight`, [ff, d]);
    t.matrix(`${b}.channel_mix_receptance.weight`, [d, d]);
  }
  return [
    ["rwkv6.feed_forward_length", u32(ff)], ["rwkv6.attention.head_count", u32(0)],
    ["rwkv6.wkv.head_size", u32(headSize)], ["rwkv6.time_mix_extra_dim", u32(mixExtra)],
    ["rwkv6.time_decay_extra_dim", u32(decayExtra)], ["rwkv6.rescale_every_n_layers", u32(0)],
    ["rwkv6.attention.layer_norm_epsilon", f32(1e-5)], ["rwkv6.token_shift_count", u32(2)],
  ];
}

function rwkv7(t: TensorSet, s: Shape): Metadata {
  // Head size 64 as in every released RWKV-7: with 32, llama.cpp's CPU kernel gave batch-split-dependent
  // logits (differences ~0.3 after a 2-token first batch), while 64 is exact.
  const d = s.dModel, headSize = 64, ff = 4 * d, decay = 16, iclr = 16, valueMix = 16, gate = 32;
  rwkvEmbeddings(t, s);
  for (let i = 0; i < s.layers; i++) {
    const b = `blk.${i}`;
    rwkvCommon(t, s, b);
    const lora = (name: string, rank: number) => {
      t.matrix(`${b}.time_mix_${name}1.weight`, [d, rank], 0.5);
      t.matrix(`${b}.time_mix_${name}2.weight`, [rank, d], 0.5);
    };
    t.uniform(`${b}.time_mix_w0.weight`, [d], -2, 2);
    lora("w", decay);
    t.uniform(`${b}.time_mix_a0.weight`, [d], -1, 1);
    lora("a", iclr);
    t.uniform(`${b}.time_mix_v0.weight`, [d], -1, 1);
    lora("v", i === 0 ? iclr : valueMix);
    lora("g", gate);
    t.uniform(`${b}.time_mix_lerp_fused.weight`, [d, 1, 1, 6], 0, 1);
    t.uniform(`${b}.time_mix_k_k.weight`, [d], 0, 1);
    t.uniform(`${b}.time_mix_k_a.weight`, [d], 0, 1);
    t.uniform(`${b}.time_mix_r_k.weight`, [d], -1, 1);
    t.matrix(`${b}.channel_mix_key.weight`, [d, ff]);
    t.matrix(`${b}.channel_mix_value.weight`, [ff, d]);
  }
  return [
    ["rwkv7.feed_forward_length", u32(ff)], ["rwkv7.attention.head_count", u32(0)],
    ["rwkv7.wkv.head_size", u32(headSize)], ["rwkv7.attention.decay_lora_rank", u32(decay)],
    ["rwkv7.attention.iclr_lora_rank", u32(iclr)], ["rwkv7.attention.value_residual_mix_lora_rank", u32(valueMix)],
    ["rwkv7.attention.gate_lora_rank", u32(gate)], ["rwkv7.attention.layer_norm_epsilon", f32(1e-5)],
    ["rwkv7.token_shift_count", u32(2)],
  ];
}

const ATTENTION_HEADS = 4;
const ffnLength = (d: number) => Math.floor((d * 11) / 4);

/** Separate Q, K, V and output projections, all [d, d] (as many KV heads as query heads). */
function attention(t: TensorSet, b: string, d: number): void {
  for (const m of ["attn_q", "attn_k", "attn_v", "attn_output"]) t.matrix(`${b}.${m}.weight`, [d, d]);
}

/** A SwiGLU feed-forward block with its RMS norm. */
function feedForward(t: TensorSet, b: string, d: number): void {
  const ff = ffnLength(d);
  t.constant(`${b}.ffn_norm.weight`, [d], 1);
  t.matrix(`${b}.ffn_gate.weight`, [d, ff]);
  t.matrix(`${b}.ffn_up.weight`, [d, ff]);
  t.matrix(`${b}.ffn_down.weight`, [ff, d]);
}

function llama(t: TensorSet, s: Shape): Metadata {
  const d = s.dModel, heads = ATTENTION_HEADS, ff = ffnLength(d);
  embeddings(t, s, false);
  for (let i = 0; i < s.layers; i++) {
    const b = `blk.${i}`;
    t.constant(`${b}.attn_norm.weight`, [d], 1);
    attention(t, b, d);
    feedForward(t, b, d);
  }
  return [
    ["llama.feed_forward_length", u32(ff)], ["llama.attention.head_count", u32(heads)],
    ["llama.attention.head_count_kv", u32(heads)], ["llama.attention.layer_norm_rms_epsilon", f32(1e-5)],
    ["llama.rope.dimension_count", u32(d / heads)], ["llama.rope.freq_base", f32(10000)],
  ];
}

/**
 * Hybrids mark each layer's kind through the per-layer array attention.head_count_kv: 0 is a
 * recurrent layer, anything else an attention layer (load_arch_hparams of granite-hybrid.cpp and
 * lfm2.cpp). Odd layers attend, so any hybrid of two or more layers has both kinds.
 */
export function isAttentionLayer(layer: number): boolean {
  return layer % 2 === 1;
}

function headCountKv(s: Shape): GgufValue {
  return { type: "i32[]", value: Array.from({ length: s.layers }, (_, i) => (isAttentionLayer(i) ? ATTENTION_HEADS : 0)) };
}

// IBM Granite 4.0-H: Mamba-2 layers and attention layers, each followed by a SwiGLU FFN, with
// Granite's embedding, residual, attention and logit scales (src/models/granite-hybrid.cpp).
function granitehybrid(t: TensorSet, s: Shape): Metadata {
  const d = s.dModel;
  embeddings(t, s, false);
  for (let i = 0; i < s.layers; i++) {
    const b = `blk.${i}`;
    t.constant(`${b}.attn_norm.weight`, [d], 1);
    if (isAttentionLayer(i)) attention(t, b, d);
    else mamba2Mixer(t, b, d);
    feedForward(t, b, d);
  }
  return [
    ...mamba2SsmMetadata("granitehybrid", d),
    ["granitehybrid.attention.layer_norm_rms_epsilon", f32(1e-5)],
    ["granitehybrid.feed_forward_length", u32(ffnLength(d))],
    ["granitehybrid.attention.head_count", u32(ATTENTION_HEADS)],
    ["granitehybrid.attention.head_count_kv", headCountKv(s)],
    ["granitehybrid.rope.dimension_count", u32(d / ATTENTION_HEADS)], ["granitehybrid.rope.freq_base", f32(10000)],
    // Mild values, so the scales take part in the graph without flattening the logits.
    ["granitehybrid.embedding_scale", f32(2)], ["granitehybrid.residual_scale", f32(0.5)],
    ["granitehybrid.attention.scale", f32(1 / Math.sqrt(d / ATTENTION_HEADS))], ["granitehybrid.logit_scale", f32(0.5)],
  ];
}

// LiquidAI LFM2: gated short-convolution layers and attention layers with Q/K RMS norms, each followed
// by a SwiGLU FFN (src/models/lfm2.cpp). Its final norm is stored as token_embd_norm.
function lfm2(t: TensorSet, s: Shape): Metadata {
  const d = s.dModel, lCache = 3, headDim = d / ATTENTION_HEADS;
  t.uniform("token_embd.weight", [d, s.vocabSize], -1, 1);
  t.constant("token_embd_norm.weight", [d], 1);
  t.matrix("output.weight", [d, s.vocabSize], 3);
  for (let i = 0; i < s.layers; i++) {
    const b = `blk.${i}`;
    t.constant(`${b}.attn_norm.weight`, [d], 1);
    if (isAttentionLayer(i)) {
      t.constant(`${b}.attn_q_norm.weight`, [headDim], 1);
      t.constant(`${b}.attn_k_norm.weight`, [headDim], 1);
      attention(t, b, d);
    } else {
      t.matrix(`${b}.shortconv.conv.weight`, [lCache, d]);
      t.matrix(`${b}.shortconv.in_proj.weight`, [d, 3 * d]);
      t.matrix(`${b}.shortconv.out_proj.weight`, [d, d]);
    }
    feedForward(t, b, d);
  }
  return [
    ["lfm2.shortconv.l_cache", u32(lCache)],
    ["lfm2.attention.layer_norm_rms_epsilon", f32(1e-5)],
    ["lfm2.feed_forward_length", u32(ffnLength(d))],
    ["lfm2.attention.head_count", u32(ATTENTION_HEADS)],
    ["lfm2.attention.head_count_kv", headCountKv(s)],
    ["lfm2.rope.freq_base", f32(1_000_000)],
  ];
}

const BUILDERS: Record<TinyArchitecture, (t: TensorSet, s: Shape) => Metadata> = { mamba, mamba2, rwkv6, rwkv7, llama, granitehybrid, lfm2 };

export function buildArchitecture(arch: TinyArchitecture, shape: Shape, random: () => number): { metadata: Metadata; tensors: GgufTensor[] } {
  const tensors = new TensorSet(random);
  const metadata = BUILDERS[arch](tensors, shape);
  return { metadata, tensors: tensors.tensors };
}
