/** The built-in presets, registered with the scenario loader (`sim/scenario/presets.ts`). */
import { registerPreset } from "../scenario/presets.ts"
import { wecomPreset } from "./wecom.ts"

registerPreset(wecomPreset)

export { expandPreset } from "../scenario/presets.ts"
