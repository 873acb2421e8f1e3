/** A positive random variable as a scenario gives it, in seconds (or a count); `Random.ts` samples it. */
export type Dist =
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "exp"; readonly mean: number }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  | { readonly kind: "lognormal"; readonly mean: number; readonly cv: number }
