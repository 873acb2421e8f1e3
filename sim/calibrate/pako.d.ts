// The part of pako 1.x (no types of its own) that trace replay uses: streaming, synchronous inflate.
declare module "pako" {
  class Inflate {
    constructor(options?: { to?: "string" })
    push(data: Uint8Array, mode: number | boolean): boolean
    onData(chunk: string | Uint8Array): void
    readonly err: number
    readonly msg: string
  }
  const pako: { Inflate: typeof Inflate; readonly Z_SYNC_FLUSH: number }
  namespace pako { type Inflate = InstanceType<typeof Inflate> }
  export default pako
}
