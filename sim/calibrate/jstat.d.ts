// The part of jstat (no types of its own) that calibration uses.
declare module "jstat" {
  const jStat: {
    readonly studentt: { inv(p: number, dof: number): number }
    readonly normal: { inv(p: number, mean: number, sd: number): number; cdf(x: number, mean: number, sd: number): number }
  }
  export default jStat
}
