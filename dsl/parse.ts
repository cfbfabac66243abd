import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { createDiagnostic, type Diagnostic } from './diagnostics';
import type { Path } from './path';

/** A template's YAML, its plain value, and where each value sits in the source. */
export interface ParsedTemplate {
  source: string;
  /** The document as plain JSON-like data (undefined when the YAML did not parse). */
  value: unknown;
  /** YAML syntax errors and warnings, all of them. */
  diagnostics: Diagnostic[];
  /** Offsets of the node at `path`, or of its nearest existing ancestor. */
  rangeOf(path: Path): [number, number];
  /** Offsets of the key of the mapping entry at `path` (an unknown property is best shown at its key). */
  keyRangeOf(path: Path): [number, number];
  /**
   * Offsets of `text[start, end)` where `text` appears verbatim inside the scalar at `path`; an
   * expression's own error position then lands on the right column. Falls back to the node.
   */
  rangeInside(path: Path, text: string, start: number, end: number): [number, number];
}

interface Located {
  node: Node | null;
  keyNode: Node | null;
}

export function parseTemplate(source: string): ParsedTemplate {
  const doc = parseDocument(source, { prettyErrors: false });
  const diagnostics: Diagnostic[] = [
    ...doc.errors.map((e) => createDiagnostic('yaml.syntax', '', [e.pos[0], e.pos[1]], yamlMessage(e.message))),
    ...doc.warnings.map((e) => createDiagnostic('yaml.warning', '', [e.pos[0], e.pos[1]], yamlMessage(e.message))),
  ];
  let value: unknown;
  if (doc.errors.length === 0) value = doc.toJS({ maxAliasCount: 100 });

  const locate = (path: Path): Located => locateNode(doc, path);
  const rangeOfNode = (node: Node | null): [number, number] =>
    node?.range ? [node.range[0], Math.max(node.range[0], node.range[1])] : [0, 0];

  return {
    source,
    value,
    diagnostics,
    rangeOf: (path) => rangeOfNode(locate(path).node),
    keyRangeOf: (path) => {
      const found = locate(path);
      return rangeOfNode(found.keyNode ?? found.node);
    },
    rangeInside: (path, text, start, end) => {
      const range = rangeOfNode(locate(path).node);
      const at = source.slice(range[0], range[1]).indexOf(text);
      return at === -1 ? range : [range[0] + at + start, range[0] + at + Math.max(start, end)];
    },
  };
}

// The composer's messages are already plain; drop a trailing position it sometimes appends.
function yamlMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
}

function locateNode(doc: Document, path: Path): Located {
  let node = doc.contents as Node | null;
  let keyNode: Node | null = null;
  for (const segment of path) {
    if (node && isAlias(node)) node = (node.resolve(doc) as Node | undefined) ?? node;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return { node, keyNode: null };
      keyNode = pair.key as Node;
      node = (pair.value as Node | null) ?? keyNode;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) return { node, keyNode: null };
      keyNode = null;
      node = item;
    } else {
      return { node, keyNode: null };
    }
  }
  return { node, keyNode };
}
