import { isNode, parseDocument } from 'yaml';

/**
 * A plan step's `path` (`steps[0].repeat.steps[3]`, `steps[1].switch[0].do[2]`) names the place
 * in the template's YAML the step was written at: walk the document by it to find its text.
 */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(JSON.parse(`"${match[3]}"`) as string);
    else if (match[1] !== undefined) segments.push(match[1]);
  }
  return segments;
}

/** The source range `[from, to)` of the YAML node at `path`, or null when the source has no such node (edited since). */
export function yamlRangeOf(source: string, path: string): [number, number] | null {
  const document = parseDocument(source, { keepSourceTokens: false });
  const node: unknown = document.getIn(pathSegments(path), true);
  if (!isNode(node) || !node.range) return null;
  return [node.range[0], node.range[1]];
}

/** The innermost of `paths` (plan step paths) whose YAML holds `offset`, or null. */
export function stepPathAt(source: string, offset: number, paths: readonly string[]): string | null {
  const document = parseDocument(source, { keepSourceTokens: false });
  let best: { path: string; size: number } | null = null;
  for (const path of paths) {
    const node: unknown = document.getIn(pathSegments(path), true);
    if (!isNode(node) || !node.range) continue;
    const [from, to] = node.range;
    if (offset >= from && offset <= to && (best === null || to - from < best.size)) best = { path, size: to - from };
  }
  return best?.path ?? null;
}
