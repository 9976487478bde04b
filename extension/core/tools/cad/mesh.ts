// The geometry OpenSCAD exports (OFF: vertices, then faces as vertex indices) and the facts the model
// reads without vision: bounding box, volume, number of separate parts.

export type Vec3 = readonly [number, number, number];

export interface Mesh {
  readonly vertices: readonly Vec3[];
  /** Triangles as vertex indices (polygons are fanned). */
  readonly triangles: readonly (readonly [number, number, number])[];
}

export interface BoundingBox {
  readonly min: Vec3;
  readonly max: Vec3;
}

export function parseOff(text: string): Mesh {
  const tokens = text.replace(/#[^\n]*/g, " ").trim().split(/\s+/);
  let at = 0;
  const next = () => {
    const token = tokens[at++];
    if (token === undefined) throw new Error("the OFF file ended early");
    return token;
  };
  const head = next();
  if (!/^OFF$/i.test(head)) throw new Error(`not an OFF file (it starts with ${JSON.stringify(head.slice(0, 20))})`);
  const vertexCount = Number(next());
  const faceCount = Number(next());
  next();
  if (!Number.isInteger(vertexCount) || !Number.isInteger(faceCount)) throw new Error("the OFF header has no vertex and face counts");
  const vertices: Vec3[] = [];
  for (let i = 0; i < vertexCount; i++) vertices.push([Number(next()), Number(next()), Number(next())]);
  const triangles: [number, number, number][] = [];
  for (let i = 0; i < faceCount; i++) {
    const n = Number(next());
    const face: number[] = [];
    for (let k = 0; k < n; k++) face.push(Number(next()));
    // OFF faces may carry a colour after the indices; it is not geometry.
    while (at < tokens.length && faceCount - i > 1 && tokens[at] !== undefined && !/^\d+$/.test(tokens[at]!)) at++;
    for (let k = 1; k + 1 < face.length; k++) triangles.push([face[0]!, face[k]!, face[k + 1]!]);
  }
  return { vertices, triangles };
}

export function boundingBox(mesh: Mesh): BoundingBox | undefined {
  if (mesh.vertices.length === 0) return undefined;
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (const v of mesh.vertices) {
    for (let i = 0; i < 3; i++) {
      min[i] = Math.min(min[i]!, v[i]!);
      max[i] = Math.max(max[i]!, v[i]!);
    }
  }
  return { min: [min[0]!, min[1]!, min[2]!], max: [max[0]!, max[1]!, max[2]!] };
}

/** Enclosed volume by the divergence theorem; exact for a closed mesh, whatever its orientation. */
export function volume(mesh: Mesh): number {
  let sum = 0;
  for (const [a, b, c] of mesh.triangles) {
    const p = mesh.vertices[a]!;
    const q = mesh.vertices[b]!;
    const r = mesh.vertices[c]!;
    sum += p[0] * (q[1] * r[2] - q[2] * r[1]) - p[1] * (q[0] * r[2] - q[2] * r[0]) + p[2] * (q[0] * r[1] - q[1] * r[0]);
  }
  return Math.abs(sum) / 6;
}

/** Separate pieces: triangles that share vertices belong to one part. */
export function partCount(mesh: Mesh): number {
  const parent = mesh.vertices.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[ra] = rb;
  };
  const used = new Set<number>();
  for (const [a, b, c] of mesh.triangles) {
    union(a, b);
    union(b, c);
    used.add(a).add(b).add(c);
  }
  return new Set([...used].map(find)).size;
}

export function formatNumber(n: number): string {
  const rounded = Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(3);
  return rounded.replace(/\.?0+$/, "") || "0";
}

export function formatBox(box: BoundingBox): string {
  const size = box.max.map((v, i) => v - box.min[i]!);
  const f = (v: Vec3 | number[]) => `[${v.map(formatNumber).join(", ")}]`;
  return `${f(box.min)} to ${f(box.max)} (size ${size.map(formatNumber).join(" x ")})`;
}
