import type { PlatformError } from "effect/PlatformError"

/**
 * Our words for why a file could not be read, without repeating its path (the error line names
 * the file already): "no such file", "permission denied", "it is a directory".
 *
 * @example
 * new ReportInvalid({ file, message: `cannot read it: ${fileErrorText(e)}` })
 */
export const fileErrorText = (e: PlatformError): string => {
  const reason = e.reason
  return reason._tag === "NotFound" ? "no such file"
    : reason._tag === "PermissionDenied" ? "permission denied"
    : reason._tag === "BadResource" ? "it is a directory"
    : (reason.description ?? e.message)
}
