import { describe, expect, test } from "vitest"
import { Code, MAX_TRIES, isLogicFailure, isSystemFailure, nextTry, shouldRetry } from "../../sim/model/retry.ts"

describe("return codes", () => {
  test("network, overload and crash codes are system failures, retried elsewhere", () => {
    for (const code of [-201, -202, -203, -206, -216, -217, Code.workerCrash]) {
      expect(isSystemFailure(code)).toBe(true)
      expect(isLogicFailure(code)).toBe(false)
    }
  })

  test("success is neither failure; business codes and quorum loss are logic failures", () => {
    expect(isSystemFailure(Code.ok)).toBe(false)
    expect(isLogicFailure(Code.ok)).toBe(false)
    for (const code of [Code.quorumLost, -2000, -1233, 1]) {
      expect(isSystemFailure(code)).toBe(false)
      expect(isLogicFailure(code)).toBe(true)
    }
  })

  test("codes are distinct", () => {
    const values = Object.values(Code)
    expect(new Set(values).size).toBe(values.length)
  })
})

describe("retries", () => {
  test("three tries by default", () => {
    expect(MAX_TRIES).toBe(3)
    expect(nextTry(0)).toBe(1)
    expect(nextTry(1)).toBe(2)
    expect(nextTry(2)).toBe(3)
    expect(nextTry(3)).toBe(0)
    expect(nextTry(1, 1)).toBe(0)
  })

  test("only system failures with tries left are retried", () => {
    expect(shouldRetry(Code.timeout, 1)).toBe(true)
    expect(shouldRetry(Code.timeout, 3)).toBe(false)
    expect(shouldRetry(Code.quorumLost, 1)).toBe(false)
    expect(shouldRetry(Code.ok, 1)).toBe(false)
  })
})
