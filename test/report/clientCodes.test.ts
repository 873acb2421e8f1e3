// Issue 11 item 9: Svrkit's codes stay on calls (seed 004); what a client sees for an overload is
// seed 000's -1233/-1234/-1235 family, one client code per way of being refused.
import { describe, expect, test } from "vitest"
import { Code, isOverload } from "../../sim/model/Code.ts"
import { clientCodes, hasClientCode } from "../../sim/report/clientCodes.ts"

describe("client-visible codes", () => {
  test("every overload code the model produces shows as its own member of seed 000's -1233/-1234/-1235", () => {
    const overload = Object.values(Code).filter(isOverload)
    expect(overload.sort()).toEqual([Code.overloadReject, Code.clientReject, Code.overload].sort())
    const shown = overload.map((c) => Object.keys(clientCodes({ [String(c)]: 1 }))[0])
    expect(shown.sort()).toEqual(["-1233", "-1234", "-1235"])
    expect(clientCodes({ "-206": 1 })).toEqual({ "-1233": 1 })
    expect(clientCodes({ "-217": 1 })).toEqual({ "-1234": 1 })
    expect(clientCodes({ "-216": 1 })).toEqual({ "-1235": 1 })
  })

  test("Svrkit's network codes and wwsim's own pass through unchanged: no client code for them", () => {
    const codes = { "0": 5, "-201": 1, "-202": 2, "-203": 3, "-218": 4, "-300": 6 }
    expect(hasClientCode(codes)).toBe(false)
    expect(clientCodes(codes)).toEqual(codes)
  })

  test("counts add up and nothing is lost: ok first, then failures from -201 downwards", () => {
    const out = clientCodes({ "0": 90, "-217": 8, "-201": 2, "-216": 5, "-206": 1 })
    expect(Object.keys(out)).toEqual(["0", "-201", "-1233", "-1234", "-1235"])
    expect(Object.values(out).reduce((a, b) => a + b, 0)).toBe(106)
  })
})
