// The byte form of a fitted built-in model, as stored in the database. Little-endian layout:
//
//   "PBEM"                      magic
//   u32 format version          (1)
//   u32 tokenizer version       the tokenizer the model was fitted with
//   u32 dims, u32 terms, u32 byte length of the term list
//   f32[terms]                  inverse document frequencies
//   f32[terms]                  per-term scales of the quantised projection
//   f32[dims]                   singular values
//   i8[terms x dims]            projection codes, row-major
//   utf-8                       the terms, joined by "\n" (terms never contain one)
//
// deserialize(serialize(m)) gives a model whose every number is bit-identical to m's.
import { BuiltinModel, type ModelParts } from "./model.ts";

const MAGIC = 0x4d454250; // "PBEM" read as a little-endian u32
const FORMAT_VERSION = 1;
const HEADER_BYTES = 24;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function writeFloats(view: DataView, offset: number, values: Float32Array): number {
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(view.buffer, view.byteOffset + offset, values.byteLength).set(
      new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    );
  } else {
    for (let i = 0; i < values.length; i++) view.setFloat32(offset + i * 4, values[i] as number, true);
  }
  return offset + values.byteLength;
}

function readFloats(view: DataView, offset: number, count: number): Float32Array {
  const out = new Float32Array(count);
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(out.buffer).set(new Uint8Array(view.buffer, view.byteOffset + offset, count * 4));
  } else {
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + i * 4, true);
  }
  return out;
}

export function serializeModel(model: BuiltinModel): Uint8Array {
  const p = model.parts();
  const termBytes = new TextEncoder().encode(p.terms.join("\n"));
  const n = p.terms.length;
  const size = HEADER_BYTES + 4 * (2 * n + p.dims) + n * p.dims + termBytes.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, p.tokenizerVersion, true);
  view.setUint32(12, p.dims, true);
  view.setUint32(16, n, true);
  view.setUint32(20, termBytes.length, true);
  let offset = writeFloats(view, HEADER_BYTES, p.idf);
  offset = writeFloats(view, offset, p.scales);
  offset = writeFloats(view, offset, p.singularValues);
  bytes.set(new Uint8Array(p.codes.buffer, p.codes.byteOffset, p.codes.byteLength), offset);
  offset += p.codes.byteLength;
  bytes.set(termBytes, offset);
  return bytes;
}

export function deserializeModel(bytes: Uint8Array): BuiltinModel {
  if (bytes.length < HEADER_BYTES) throw new Error("not a built-in embedding model: too short");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error("not a built-in embedding model: bad magic number");
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) throw new Error(`unsupported built-in model format version ${version}`);
  const dims = view.getUint32(12, true);
  const n = view.getUint32(16, true);
  const termLength = view.getUint32(20, true);
  const expected = HEADER_BYTES + 4 * (2 * n + dims) + n * dims + termLength;
  if (bytes.length !== expected) {
    throw new Error(`built-in embedding model is ${bytes.length} bytes, its header says ${expected}: truncated?`);
  }
  let offset = HEADER_BYTES;
  const idf = readFloats(view, offset, n);
  offset += 4 * n;
  const scales = readFloats(view, offset, n);
  offset += 4 * n;
  const singularValues = readFloats(view, offset, dims);
  offset += 4 * dims;
  const codes = new Int8Array(n * dims);
  new Uint8Array(codes.buffer).set(bytes.subarray(offset, offset + n * dims));
  offset += n * dims;
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(offset, offset + termLength));
  const terms = n === 0 ? [] : text.split("\n");
  if (terms.length !== n) throw new Error(`built-in embedding model lists ${terms.length} terms, expected ${n}`);
  const parts: ModelParts = {
    tokenizerVersion: view.getUint32(8, true),
    dims,
    terms,
    idf,
    scales,
    codes,
    singularValues,
  };
  return new BuiltinModel(parts);
}
