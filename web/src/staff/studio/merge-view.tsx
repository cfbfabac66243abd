import { yaml } from '@codemirror/lang-yaml';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';

const readOnly = [
  basicSetup,
  yaml(),
  EditorState.readOnly.of(true),
  EditorView.editable.of(false),
  EditorView.lineWrapping,
];

/** Two versions' YAML side by side, changes highlighted, unchanged stretches folded. */
export default function YamlMergeView({ from, to }: { from: string; to: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const view = new MergeView({
      a: { doc: from, extensions: readOnly },
      b: { doc: to, extensions: readOnly },
      parent: host.current!,
      collapseUnchanged: { margin: 3, minSize: 6 },
      gutter: true,
    });
    return () => view.destroy();
  }, [from, to]);
  return <div ref={host} data-testid="yaml-merge" style={{ fontSize: 12, maxHeight: '70vh', overflow: 'auto' }} />;
}
