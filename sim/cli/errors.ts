/**
 * Failures of the command line itself, each with one meaning (a bad flag is not a bad scenario;
 * "no deployment found" is not an SLO breach). `outcome.ts` maps every tag to an exit code.
 */
import { Data } from "effect"

/**
 * A flag's value, or a combination of flags, that the command cannot honour: exit code 2.
 *
 * @example
 * new FlagInvalid({ flag: "--shard", message: "needs --replications R" }).line
 * // "error: --shard: needs --replications R"
 */
export class FlagInvalid extends Data.TaggedError("FlagInvalid")<{
  readonly flag: string
  readonly message: string
}> {
  get line(): string {
    return `error: ${this.flag}: ${this.message}`
  }
}

/**
 * A file given to `report` (or as `--baseline`) is not a readable wwsim report: exit code 2.
 *
 * @example
 * new ReportInvalid({ file: "x.json", message: "invalid JSON: unexpected end" }).line
 * // "error: x.json: invalid JSON: unexpected end"
 */
export class ReportInvalid extends Data.TaggedError("ReportInvalid")<{
  readonly file: string
  readonly message: string
}> {
  get line(): string {
    return `error: ${this.file}: ${this.message}`
  }
}

/**
 * `size` searched up to `--max-machines` and no deployment met the SLOs: exit code 1 (the
 * question was answered: "none"), not an SLO breach of a run.
 *
 * @example
 * new NoDeploymentFound({ users: 20000, maxMachines: 60 }).line
 */
export class NoDeploymentFound extends Data.TaggedError("NoDeploymentFound")<{
  readonly users: number
  readonly maxMachines: number
}> {
  get line(): string {
    return `error: no deployment of at most ${this.maxMachines} machines meets the SLOs for ${this.users} users`
  }
}
