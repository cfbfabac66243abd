import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { createDiagnostic, type Diagnostic } from './diagnostics';
import { DEFAULT_TEMPLATE_LIMITS, type TemplateLimits } from './limits';
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

export type ParseLimits = Pick<TemplateLimits, 'maxSourceBytes' | 'maxAliasCount' | 'maxNestingDepth'>;

export function parseTemplate(source: string, limits: ParseLimits = DEFAULT_TEMPLATE_LIMITS): ParsedTemplate {
  const tooLarge = checkSourceSize(source, limits.maxSourceBytes);
  const doc = parseDocument(tooLarge ? '' : source, { prettyErrors: false });
  const diagnostics: Diagnostic[] = [
    ...(tooLarge ? [tooLarge] : []),
    ...doc.errors.map((e) => createDiagnostic('yaml.syntax', '', [e.pos[0], e.pos[1]], yamlMessage(e.message))),
    ...doc.warnings.map((e) => createDiagnostic('yaml.warning', '', [e.pos[0], e.pos[1]], yamlMessage(e.message))),
  ];
  let value: unknown;
  if (!tooLarge && doc.errors.length === 0) {
    const tooDeep = checkNesting(doc, limits.maxNestingDepth);
    if (tooDeep) diagnostics.push(tooDeep);
    else value = resolveValue(doc, limits.maxAliasCount, diagnostics);
  }

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

/** Offsets of the first character past the byte limit: a designer sees where to cut. */
function checkSourceSize(source: string, maxBytes: number): Diagnostic | undefined {
  // UTF-8 needs at most 3 bytes per UTF-16 unit, so short sources need no counting.
  if (source.length * 3 <= maxBytes) return undefined;
  let bytes = 0;
  for (let i = 0; i < source.length; i++) {
    const unit = source.charCodeAt(i);
    // A surrogate pair is 4 bytes: 2 for each half.
    bytes += unit < 0x80 ? 1 : unit < 0x800 ? 2 : unit >= 0xd800 && unit <= 0xdfff ? 2 : 3;
    if (bytes > maxBytes) {
      return createDiagnostic(
        'limit.source-size',
        '',
        [i, source.length],
        `the template is larger than ${formatBytes(maxBytes)} (it is ${formatBytes(new TextEncoder().encode(source).length)}); split it into templates that call each other with process steps`,
      );
    }
  }
  return undefined;
}

function formatBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} bytes`;
}

// Walked with an explicit stack: a deep document must not overflow ours either.
function checkNesting(doc: Document, maxDepth: number): Diagnostic | undefined {
  const pending: [node: unknown, depth: number][] = [[doc.contents, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (!isCollection(node)) continue;
    if (depth > maxDepth) {
      const range = node.range ?? [0, 0];
      return createDiagnostic(
        'limit.nesting-depth',
        '',
        [range[0], range[1]],
        `mappings and lists are nested more than ${maxDepth} deep here`,
      );
    }
    for (const item of node.items) pending.push([isPair(item) ? item.value : item, depth + 1]);
  }
  return undefined;
}

// yaml throws when aliases expand past the count (a billion-laughs document); that is the
// author's mistake, reported at the first alias, not a crash.
function resolveValue(doc: Document, maxAliasCount: number, diagnostics: Diagnostic[]): unknown {
  try {
    return doc.toJS({ maxAliasCount });
  } catch (error) {
    if (!(error instanceof ReferenceError)) {
      diagnostics.push(createDiagnostic('yaml.syntax', '', [0, 0], yamlMessage(String(error))));
      return undefined;
    }
    const range = firstAlias(doc)?.range ?? [0, 0];
    diagnostics.push(
      createDiagnostic(
        'limit.yaml-aliases',
        '',
        [range[0], range[1]],
        `the YAML aliases (*name) expand to too much data (${error instanceof Error ? error.message : String(error)}); write the values out or use fewer aliases`,
      ),
    );
    return undefined;
  }
}

function firstAlias(doc: Document): Node | undefined {
  const pending: unknown[] = [doc.contents];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (isAlias(node)) return node;
    if (isCollection(node))
      for (const item of [...node.items].reverse()) pending.push(isPair(item) ? item.value : item);
  }
  return undefined;
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
