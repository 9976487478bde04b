// A small ASCII depth image of a mesh from a camera: each cell shows how near the surface is (denser
// characters are nearer), so a model without vision can still tell views apart and see shapes.
import type { Camera } from "./camera";
import type { Mesh, Vec3 } from "./mesh";

const ramp = "@%#*+=-:.";

export interface DepthImage {
  readonly rows: readonly string[];
  /** Cells the model covers. */
  readonly covered: number;
}

export function depthImage(mesh: Mesh, camera: Camera, width = 40, height = 20): DepthImage {
  const depth = new Float64Array(width * height).fill(-Infinity);
  // Characters are about twice as tall as wide: a square view gets twice as many columns as rows.
  const project = (p: Vec3): [number, number, number] => {
    const e = camera.toEye(p);
    const scale = camera.projection === "perspective" ? camera.distance / Math.max(1e-6, camera.distance - e[2]) : 1;
    const sx = ((e[0] * scale) / camera.halfSize + 1) / 2;
    const sy = (1 - (e[1] * scale) / camera.halfSize) / 2;
    return [sx * width, sy * height, e[2]];
  };
  const projected = mesh.vertices.map(project);
  for (const [a, b, c] of mesh.triangles) fill(projected[a]!, projected[b]!, projected[c]!, depth, width, height);
  let near = -Infinity;
  let far = Infinity;
  let covered = 0;
  for (const d of depth) {
    if (d === -Infinity) continue;
    covered++;
    near = Math.max(near, d);
    far = Math.min(far, d);
  }
  const span = near - far || 1;
  const rows: string[] = [];
  for (let y = 0; y < height; y++) {
    let row = "";
    for (let x = 0; x < width; x++) {
      const d = depth[y * width + x]!;
      row += d === -Infinity ? " " : ramp[Math.min(ramp.length - 1, Math.floor(((near - d) / span) * ramp.length))]!;
    }
    rows.push(row.trimEnd());
  }
  return { rows, covered };
}

/** Fills one triangle's cells (sampled at cell centres), keeping the nearest depth. */
function fill(p: [number, number, number], q: [number, number, number], r: [number, number, number], depth: Float64Array, width: number, height: number): void {
  const area = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
  if (Math.abs(area) < 1e-12) return;
  const x0 = Math.max(0, Math.floor(Math.min(p[0], q[0], r[0])));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(p[0], q[0], r[0])));
  const y0 = Math.max(0, Math.floor(Math.min(p[1], q[1], r[1])));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(p[1], q[1], r[1])));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const cx = x + 0.5;
      const cy = y + 0.5;
      const w0 = ((q[0] - cx) * (r[1] - cy) - (q[1] - cy) * (r[0] - cx)) / area;
      const w1 = ((r[0] - cx) * (p[1] - cy) - (r[1] - cy) * (p[0] - cx)) / area;
      const w2 = 1 - w0 - w1;
      if (w0 < -1e-9 || w1 < -1e-9 || w2 < -1e-9) continue;
      const z = w0 * p[2] + w1 * q[2] + w2 * r[2];
      const i = y * width + x;
      if (z > depth[i]!) depth[i] = z;
    }
  }
}
