export interface CpuDist {
  readonly kind: "const" | "exp" | "lognormal"
  readonly meanUs: number
  readonly cv: number
}
export function parseDist(text: string): CpuDist | undefined
export function sampler(dist: CpuDist, seed: string | number): () => number
