// The README and docs/ stand alone: every link stays inside the repository and points at a file
// (and, for a Markdown file, a heading) that exists, so a fresh clone reads whole.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, test } from "vitest"

const root = fileURLToPath(new URL("../../", import.meta.url))
const pages = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)]

/** Link targets of a Markdown page: `[text](target)` and `![alt](target "title")`, outside code. */
const linksOf = (markdown: string): Array<string> => {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "")
  return [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!)
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to '-', repeats numbered. */
const anchorsOf = (markdown: string): Set<string> => {
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  for (const m of markdown.replace(/^```[\s\S]*?^```/gm, "").matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]!.replace(/`/g, "").toLowerCase().replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "").replace(/ /g, "-")
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    anchors.add(n === 0 ? base : `${base}-${n}`)
  }
  return anchors
}

describe("the README and docs stand alone", () => {
  for (const page of pages) {
    const text = readFileSync(join(root, page), "utf8")
    const local = linksOf(text).filter((t) => !/^[a-z]+:/i.test(t))

    test(`${page} has no link that leaves the repository`, () => {
      expect(local.filter((t) => t.includes("../"))).toEqual([])
      expect(text).not.toMatch(/shared\/(MODEL|INTERFACE)\.md/)
    })

    test(`${page}: every local link points at a file and heading that exist`, () => {
      const broken = local.filter((target) => {
        const [path, anchor] = target.split("#") as [string, string | undefined]
        const file = path === "" ? join(root, page) : resolve(dirname(join(root, page)), decodeURI(path))
        if (relative(root, file).startsWith("..") || !existsSync(file)) return true
        return anchor !== undefined && file.endsWith(".md") && !anchorsOf(readFileSync(file, "utf8")).has(decodeURIComponent(anchor))
      })
      expect(broken).toEqual([])
    })
  }

  test("the link checker finds links and anchors (so an empty result above means something)", () => {
    expect(linksOf("see [a](docs/x.md#b-c) and ![p](img.png \"t\") but not `[c](d)`")).toEqual(["docs/x.md#b-c", "img.png"])
    expect([...anchorsOf("## The CLI\n## Call chains (seed 000, 核心)\n## The CLI\n")]).toEqual(["the-cli", "call-chains-seed-000-核心", "the-cli-1"])
  })
})
