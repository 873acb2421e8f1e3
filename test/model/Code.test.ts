import { describe, expect, test } from "vitest"
import { Code, isOverload, isSystemFailure } from "../../sim/model/Code.ts"

describe("return codes", () => {
  test("network, overload and crash codes are system failures, retried elsewhere", () => {
    for (const code of [-201, -202, -203, -206, -216, -217, Code.workerCrash]) expect(isSystemFailure(code)).toBe(true)
  })

  test("success, business codes and quorum loss are not system failures: never retried", () => {
    for (const code of [Code.ok, Code.quorumLost, -2000, -1233, 1]) expect(isSystemFailure(code)).toBe(false)
  })

  test("only the three overload codes count as rejected; a worker crash is a failure", () => {
    expect([-206, -216, -217].every(isOverload)).toBe(true)
    for (const code of [Code.ok, Code.connect, Code.timeout, Code.write, Code.workerCrash, Code.quorumLost]) expect(isOverload(code)).toBe(false)
  })

  test("codes are distinct", () => {
    const values = Object.values(Code)
    expect(new Set(values).size).toBe(values.length)
  })
})
