/**
 * A strict little XML 1.0 reader for tests: it throws on anything not well-formed (unbalanced or
 * crossed tags, unquoted or duplicate attributes, a raw `<` or a bad `&` reference, characters XML
 * cannot carry, more than one root) and returns the element tree with entities decoded.
 */

export interface XmlElement {
  readonly name: string
  readonly attrs: Readonly<Record<string, string>>
  readonly children: ReadonlyArray<XmlElement>
  /** Decoded text directly inside this element. */
  readonly text: string
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*/
const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

function decode(raw: string, where: string): string {
  if (raw.includes("<")) throw new Error(`raw "<" in ${where}`)
  return raw.replace(/&([^;]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(";")) throw new Error(`unterminated reference "${whole}" in ${where}`)
    if (body in ENTITIES) return ENTITIES[body]
    const m = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body)
    if (m === null) throw new Error(`unknown entity "&${body};" in ${where}`)
    const ch = String.fromCodePoint(m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]))
    if (INVALID_CHAR.test(ch)) throw new Error(`reference to a character XML cannot carry in ${where}`)
    return ch
  })
}

/**
 * Parses `xml`, throwing an `Error` that says what is wrong when it is not well-formed.
 *
 * @example
 * parseXml('<?xml version="1.0"?><a x="1"><b/></a>').children[0].name // "b"
 */
export function parseXml(xml: string): XmlElement {
  if (INVALID_CHAR.test(xml)) throw new Error("a character XML cannot carry")
  let i = 0
  const rest = () => xml.slice(i)
  const skipSpace = () => {
    while (i < xml.length && /\s/.test(xml[i])) i++
  }
  if (xml.startsWith("<?xml")) {
    const end = xml.indexOf("?>")
    if (end < 0) throw new Error("unterminated XML declaration")
    i = end + 2
  }
  skipSpace()

  const element = (): XmlElement => {
    if (xml[i] !== "<") throw new Error(`expected "<" at ${i}`)
    i++
    const name = NAME.exec(rest())?.[0]
    if (name === undefined) throw new Error(`bad tag name at ${i}`)
    i += name.length
    const attrs: Record<string, string> = {}
    for (;;) {
      const before = i
      skipSpace()
      if (xml.startsWith("/>", i)) {
        i += 2
        return { name, attrs, children: [], text: "" }
      }
      if (xml[i] === ">") {
        i++
        break
      }
      if (i === before) throw new Error(`expected whitespace before an attribute in <${name}> at ${i}`)
      const attr = NAME.exec(rest())?.[0]
      if (attr === undefined) throw new Error(`bad attribute name in <${name}> at ${i}`)
      i += attr.length
      skipSpace()
      if (xml[i] !== "=") throw new Error(`expected "=" after ${attr} in <${name}>`)
      i++
      skipSpace()
      const quote = xml[i]
      if (quote !== '"' && quote !== "'") throw new Error(`unquoted value of ${attr} in <${name}>`)
      const end = xml.indexOf(quote, i + 1)
      if (end < 0) throw new Error(`unterminated value of ${attr} in <${name}>`)
      if (attr in attrs) throw new Error(`duplicate attribute ${attr} in <${name}>`)
      attrs[attr] = decode(xml.slice(i + 1, end), `attribute ${attr} of <${name}>`)
      i = end + 1
    }
    const children: XmlElement[] = []
    let text = ""
    for (;;) {
      const lt = xml.indexOf("<", i)
      if (lt < 0) throw new Error(`<${name}> is never closed`)
      text += decode(xml.slice(i, lt), `the text of <${name}>`)
      i = lt
      if (xml.startsWith("</", i)) {
        i += 2
        const close = NAME.exec(rest())?.[0]
        if (close !== name) throw new Error(`<${name}> closed by </${close}>`)
        i += close.length
        skipSpace()
        if (xml[i] !== ">") throw new Error(`bad closing tag </${close}>`)
        i++
        return { name, attrs, children, text }
      }
      if (xml.startsWith("<!--", i)) {
        const end = xml.indexOf("-->", i)
        if (end < 0) throw new Error("unterminated comment")
        i = end + 3
        continue
      }
      children.push(element())
    }
  }

  const root = element()
  skipSpace()
  if (i !== xml.length) throw new Error(`content after the root element at ${i}`)
  return root
}

/** Every element named `name` under `root` (root included), in document order. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = []
  const visit = (e: XmlElement) => {
    if (e.name === name) out.push(e)
    e.children.forEach(visit)
  }
  visit(root)
  return out
}
