// A dependency-free GGUF v3 writer: metadata key/values and F32/F16 tensors, 32-byte aligned.
// Format reference: llama.cpp's ggml/include/gguf.h and docs/gguf.md (ggml dimension order: ne0 first).
import { open } from "node:fs/promises";

const GGUF_MAGIC = 0x46554747; // "GGUF" read as little-endian u32
const GGUF_VERSION = 3;
const ALIGNMENT = 32;

enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
}

export enum TensorType {
  F32 = 0,
  F16 = 1,
}

/** A metadata value with its GGUF type spelled out (JS numbers alone do not say u32 vs f32). */
export type GgufValue =
  | { type: "u32"; value: number }
  | { type: "i32"; value: number }
  | { type: "f32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "string[]"; value: readonly string[] }
  | { type: "i32[]"; value: readonly number[] };

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the fastest-varying (row length). */
  dims: readonly number[];
  type: TensorType;
  data: Float32Array;
}

class ByteSink {
  private chunks: Buffer[] = [];
  length = 0;

  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }
  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  f32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }
  padTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    if (pad) this.push(Buffer.alloc(pad));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(sink: ByteSink, v: GgufValue): void {
  switch (v.type) {
    case "u32": sink.u32(ValueType.UINT32); sink.u32(v.value); return;
    case "i32": sink.u32(ValueType.INT32); sink.i32(v.value); return;
    case "f32": sink.u32(ValueType.FLOAT32); sink.f32(v.value); return;
    case "bool": sink.u32(ValueType.BOOL); sink.push(Buffer.from([v.value ? 1 : 0])); return;
    case "string": sink.u32(ValueType.STRING); sink.string(v.value); return;
    case "string[]":
      sink.u32(ValueType.ARRAY); sink.u32(ValueType.STRING); sink.u64(v.value.length);
      for (const s of v.value) sink.string(s);
      return;
    case "i32[]":
      sink.u32(ValueType.ARRAY); sink.u32(ValueType.INT32); sink.u64(v.value.length);
      for (const n of v.value) sink.i32(n);
      return;
  }
}

/** IEEE 754 binary16 from a float (round to nearest even, enough for random weights). */
function toHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) return sign; // flush subnormals to zero
  if (exponent >= 31) return sign | 0x7c00;
  let half = sign | (exponent << 10) | (mantissa >>> 13);
  if ((mantissa & 0x1fff) > 0x1000 || ((mantissa & 0x1fff) === 0x1000 && (half & 1))) half++;
  return half;
}

function tensorBytes(tensor: GgufTensor): Buffer {
  if (tensor.type === TensorType.F32) return Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  const out = Buffer.alloc(tensor.data.length * 2);
  tensor.data.forEach((x, i) => out.writeUInt16LE(toHalf(x), i * 2));
  return out;
}

function checkTensor(tensor: GgufTensor): void {
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (count !== tensor.data.length) {
    throw new Error(`tensor ${tensor.name}: dims ${tensor.dims.join("x")} need ${count} values, got ${tensor.data.length}`);
  }
}

/** Writes a complete GGUF v3 file. */
export async function writeGguf(path: string, metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensor[]): Promise<void> {
  tensors.forEach(checkTensor);
  const header = new ByteSink();
  header.u32(GGUF_MAGIC);
  header.u32(GGUF_VERSION);
  header.u64(tensors.length);
  header.u64(metadata.size);
  for (const [key, value] of metadata) {
    header.string(key);
    writeValue(header, value);
  }
  const payloads = tensors.map(tensorBytes);
  let offset = 0;
  tensors.forEach((tensor, i) => {
    header.string(tensor.name);
    header.u32(tensor.dims.length);
    for (const d of tensor.dims) header.u64(d);
    header.u32(tensor.type);
    header.u64(offset);
    offset += payloads[i]!.length;
    offset += (ALIGNMENT - (offset % ALIGNMENT)) % ALIGNMENT;
  });
  header.padTo(ALIGNMENT);

  const file = await open(path, "w");
  try {
    await file.write(header.toBuffer());
    for (const payload of payloads) {
      await file.write(payload);
      const pad = (ALIGNMENT - (payload.length % ALIGNMENT)) % ALIGNMENT;
      if (pad) await file.write(Buffer.alloc(pad));
    }
  } finally {
    await file.close();
  }
}
