// The camera of a render_view call, shared by OpenSCAD's PNG (its --camera and --projection options)
// and the ASCII depth image, so that both show the same view. Rotations follow OpenSCAD's $vpr:
// (0,0,0) looks down from above, (90,0,0) from the front; the view centre is the model's centre,
// shifted by pan, and the distance fits the model at zoom 100%.
import { cadViews, type CadView } from "./definitions";
import type { BoundingBox, Vec3 } from "./mesh";

const viewAngles: Record<CadView, Vec3> = {
  iso: [55, 0, 25],
  top: [0, 0, 0],
  bottom: [180, 0, 0],
  front: [90, 0, 0],
  back: [90, 0, 180],
  left: [90, 0, 270],
  right: [90, 0, 90],
};

export interface CameraRequest {
  readonly view?: string;
  readonly rotX?: number;
  readonly rotY?: number;
  readonly rotZ?: number;
  /** Percent; 100 fits the model. */
  readonly zoom?: number;
  /** Percent of the model's size, along the screen's right and up. */
  readonly panX?: number;
  readonly panY?: number;
  readonly projection?: "perspective" | "ortho";
}

export interface Camera {
  readonly rotation: Vec3;
  readonly center: Vec3;
  readonly distance: number;
  /** Half the height (and width) of what the view shows at the centre's depth. */
  readonly halfSize: number;
  readonly projection: "perspective" | "ortho";
  /** World to eye: x right, y up, z towards the viewer. */
  toEye(p: Vec3): Vec3;
}

// OpenSCAD's field of view is 22.5 degrees.
const halfFov = (22.5 / 2) * (Math.PI / 180);

export function cameraFor(request: CameraRequest, box: BoundingBox): Camera {
  const base = viewAngles[(cadViews as readonly string[]).includes(request.view ?? "") ? (request.view as CadView) : "iso"];
  const rotation: Vec3 = [request.rotX ?? base[0], request.rotY ?? base[1], request.rotZ ?? base[2]];
  const size = box.max.map((v, i) => v - box.min[i]!);
  const radius = Math.max(1e-6, Math.hypot(size[0]!, size[1]!, size[2]!) / 2);
  const zoom = (request.zoom ?? 100) / 100;
  const halfSize = (radius * 1.1) / zoom;
  const rotate = rotationMatrix(rotation);
  // Screen right and up in world coordinates are the rotation's first two rows.
  const pan = (row: number, percent: number | undefined) => rotate[row]!.map((v) => (v * radius * 2 * (percent ?? 0)) / 100);
  const right = pan(0, request.panX);
  const up = pan(1, request.panY);
  const center: Vec3 = [0, 1, 2].map((i) => (box.min[i]! + box.max[i]!) / 2 + right[i]! + up[i]!) as unknown as Vec3;
  const toEye = (p: Vec3): Vec3 => {
    const d = [p[0] - center[0], p[1] - center[1], p[2] - center[2]];
    return [0, 1, 2].map((r) => rotate[r]![0]! * d[0]! + rotate[r]![1]! * d[1]! + rotate[r]![2]! * d[2]!) as unknown as Vec3;
  };
  return { rotation, center, distance: halfSize / Math.tan(halfFov), halfSize, projection: request.projection ?? "perspective", toEye };
}

/** Rows of Rx(-rx) * Ry(-ry) * Rz(-rz): the inverse of the camera's gimbal rotation. */
function rotationMatrix([rx, ry, rz]: Vec3): number[][] {
  const r = (deg: number) => (-deg * Math.PI) / 180;
  const [a, b, c] = [r(rx), r(ry), r(rz)];
  const X = [[1, 0, 0], [0, Math.cos(a), -Math.sin(a)], [0, Math.sin(a), Math.cos(a)]];
  const Y = [[Math.cos(b), 0, Math.sin(b)], [0, 1, 0], [-Math.sin(b), 0, Math.cos(b)]];
  const Z = [[Math.cos(c), -Math.sin(c), 0], [Math.sin(c), Math.cos(c), 0], [0, 0, 1]];
  return multiply(multiply(X, Y), Z);
}

function multiply(a: number[][], b: number[][]): number[][] {
  return a.map((row) => [0, 1, 2].map((j) => row[0]! * b[0]![j]! + row[1]! * b[1]![j]! + row[2]! * b[2]![j]!));
}

/** OpenSCAD's command-line camera: translate, rotate (as $vpr), distance. */
export function openscadCameraArgs(camera: Camera): string[] {
  const n = (v: number) => String(Math.round(v * 1000) / 1000);
  return [`--camera=${[...camera.center, ...camera.rotation, camera.distance].map(n).join(",")}`, `--projection=${camera.projection === "ortho" ? "o" : "p"}`];
}

export function describeCamera(camera: Camera, request: CameraRequest): string {
  const [x, y, z] = camera.rotation.map((v) => Math.round(v));
  return `${request.view ?? "iso"} view (rotation ${x}, ${y}, ${z}), zoom ${request.zoom ?? 100}%, ${camera.projection}`;
}
