// The CAD pack: OpenSCAD models rendered and checked headless. Offered beside the code tools when a
// session is about 3D objects (see ../packs.ts). Both tools run OpenSCAD on workspace code, so they
// count as running (refused in Restricted Mode, like run_task); they change no file.
import type { ParamSpec, ToolDefinition } from "../types";

const path: ParamSpec = { name: "path", type: "string", description: "Workspace-relative .scad file path.", maxLength: 400 };
const angle = (name: string, axis: string): ParamSpec => ({ name, type: "integer", description: `Rotation about the ${axis} axis in degrees, replacing the view's.`, min: -360, max: 360, optional: true });

export const cadViews = ["iso", "top", "bottom", "front", "back", "left", "right"] as const;
export type CadView = (typeof cadViews)[number];

export const cadToolDefinitions: readonly ToolDefinition[] = [
  {
    name: "render_view",
    description:
      "Render a .scad model from a camera: bounding box, volume, parts, warnings and an ASCII depth image of the view (denser characters are nearer); the PNG is shown to the user.",
    params: [
      path,
      { name: "view", type: "enum", values: cadViews, description: "Where the camera looks from; iso by default.", optional: true },
      angle("rot_x", "x"),
      angle("rot_y", "y"),
      angle("rot_z", "z"),
      { name: "zoom", type: "integer", description: "Percent; 100 fits the whole model, 200 is twice as close.", min: 10, max: 1000, optional: true },
      { name: "pan_x", type: "integer", description: "Shift the view right, in percent of the model's size.", min: -100, max: 100, optional: true },
      { name: "pan_y", type: "integer", description: "Shift the view up, in percent of the model's size.", min: -100, max: 100, optional: true },
      { name: "projection", type: "enum", values: ["perspective", "ortho"], description: "Perspective (default) or orthographic.", optional: true },
    ],
    effect: "runs",
  },
  {
    name: "cad_check",
    description: "Compile a .scad file with OpenSCAD: errors and warnings with line numbers, and whether it makes any geometry.",
    params: [path],
    effect: "runs",
  },
];
