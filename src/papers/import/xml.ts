// XML reading shared by the arXiv importers: one fast-xml-parser setup (namespace prefixes dropped,
// every value kept as text, attributes as `@_name`), a well-formedness check that names the line and
// column of the first fault, and small helpers to read the parsed tree without `any`.
import { XMLParser, XMLValidator } from "fast-xml-parser";

/** The document is not well-formed XML, or not the kind of document expected. */
export class XmlFormatError extends Error {
  override name = "XmlFormatError";
}

export type XmlNode = Record<string, unknown>;

/** Elements that may repeat, parsed as arrays even when they occur once. */
const REPEATED = new Set(["entry", "author", "category", "link", "record", "setSpec", "version"]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && REPEATED.has(name),
});

/**
 * Parses `xml` and returns its root element, checking that it is named `root`. `what` names the
 * document in error messages ("arXiv API response", "OAI-PMH response").
 */
export function parseXml(xml: string, root: string, what: string): XmlNode {
  if (xml.trim() === "") throw new XmlFormatError(`${what} is empty`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new XmlFormatError(`${what} is not well-formed XML: ${msg} (line ${line}, column ${col})`);
  }
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch (err) {
    throw new XmlFormatError(`${what} could not be parsed: ${(err as Error).message}`);
  }
  const names = Object.keys(doc).filter((k) => !k.startsWith("?"));
  const top = doc[root];
  if (top === undefined) {
    throw new XmlFormatError(`${what} is not the expected document: root element <${names[0] ?? "?"}>, not <${root}>`);
  }
  return asNode(top);
}

/** The element as a node; text-only or empty elements become a node holding just `#text`. */
export function asNode(value: unknown): XmlNode {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as XmlNode;
  if (typeof value === "string") return { "#text": value };
  return {};
}

/** The child elements named `name`, as a list (absent: empty). */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(asNode);
}

/** The text of element `name` under `node` (raw, not trimmed); undefined when absent. */
export function childText(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return textOf(first);
}

/** The text content of an element value as the parser returns it. */
export function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const text = (value as XmlNode)["#text"];
    return text === undefined ? "" : textOf(text);
  }
  return "";
}

/** The value of attribute `name` on `node`, or undefined. */
export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[`@_${name}`];
  return value === undefined ? undefined : String(value);
}
