import { yaml, yamlLanguage } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorSelection, Prec } from '@codemirror/state';
import { EditorView, hoverTooltip, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { stateExtensions, updateSchema } from 'codemirror-json-schema';
import { yamlCompletion, yamlSchemaHover } from 'codemirror-json-schema/yaml';
import type { JSONSchema7 } from 'json-schema';
import { useEffect, useImperativeHandle, useLayoutEffect, useRef, type Ref } from 'react';
import type { DiagnosticFix, TemplateDiagnostic, TemplateLanguage, Validation } from './studio-api';
import { onlyWhereSchemaHelps, templateCompletion } from './template-completion';

/** How long typing pauses before the engine's compiler checks the text. */
export const VALIDATE_DELAY_MS = 600;
const CURSOR_DELAY_MS = 250;

/** What the studio asks of the editor; the document itself lives in CodeMirror, never in React state. */
export interface YamlEditorHandle {
  source(): string;
  replaceSource(source: string): void;
  /** Selects `[from, to)` and scrolls it into view. */
  select(range: [number, number]): void;
  applyFix(fix: DiagnosticFix): void;
  /** The text was saved: the next change makes it dirty again. */
  markClean(): void;
}

export interface YamlEditorProps {
  ref?: Ref<YamlEditorHandle>;
  initialSource: string;
  language: TemplateLanguage;
  schema: Record<string, unknown> | null;
  validate: (source: string, signal: AbortSignal) => Promise<Validation>;
  /** Each validation whose text is still the editor's (stale answers are dropped). */
  onValidated: (validation: Validation, source: string) => void;
  /** Called once when the text first differs from what was loaded or saved, not per keystroke. */
  onDirty: () => void;
  onSave: () => void;
  /** Where the cursor rests (after a short pause), to select its step on the diagram. */
  onCursor?: (offset: number) => void;
  readOnly?: boolean;
}

const toLint = (diagnostic: TemplateDiagnostic, length: number): Diagnostic => {
  const from = Math.min(diagnostic.range[0], length);
  return {
    from,
    to: Math.max(from, Math.min(diagnostic.range[1], length)),
    severity: diagnostic.severity,
    message: diagnostic.message,
    source: diagnostic.code,
    actions: (diagnostic.fixes ?? []).map((fix) => ({
      name: fix.title,
      apply: (view: EditorView) =>
        view.dispatch({ changes: { from: fix.range[0], to: fix.range[1], insert: fix.text } }),
    })),
  };
};

const fillHeight = EditorView.theme({
  '&': { height: '100%', fontSize: '13px' },
  '.cm-scroller': { overflow: 'auto', fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
});

/** The template's YAML in CodeMirror 6: schema completion and hover, catalogue completion, the compiler's problems. */
export default function YamlEditor(props: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(props);
  useLayoutEffect(() => {
    latest.current = props;
  });
  const dirty = useRef(false);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight: AbortController | null = null;
    let cursorTimer: ReturnType<typeof setTimeout> | undefined;

    const check = (editor: EditorView) => {
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      const doc = editor.state.doc;
      const source = doc.toString();
      latest.current
        .validate(source, controller.signal)
        .then((validation) => {
          // The text moved on while the server compiled: a newer check is coming.
          if (controller.signal.aborted || editor.state.doc !== doc) return;
          editor.dispatch(
            setDiagnostics(
              editor.state,
              validation.diagnostics.map((d) => toLint(d, doc.length)),
            ),
          );
          latest.current.onValidated(validation, source);
        })
        .catch(() => undefined);
    };

    const editor = new EditorView({
      parent: host.current!,
      doc: latest.current.initialSource,
      extensions: [
        Prec.high(
          keymap.of([
            {
              key: 'Mod-s',
              preventDefault: true,
              run: () => {
                latest.current.onSave();
                return true;
              },
            },
          ]),
        ),
        basicSetup,
        yaml(),
        lintGutter(),
        stateExtensions((latest.current.schema ?? undefined) as JSONSchema7 | undefined),
        yamlLanguage.data.of({ autocomplete: onlyWhereSchemaHelps(yamlCompletion()) }),
        yamlLanguage.data.of({ autocomplete: templateCompletion(latest.current.language) }),
        hoverTooltip(yamlSchemaHover()),
        EditorView.editable.of(!latest.current.readOnly),
        EditorView.lineWrapping,
        fillHeight,
        EditorView.updateListener.of((update) => {
          if (update.selectionSet && !update.docChanged && update.view.hasFocus) {
            clearTimeout(cursorTimer);
            const head = update.state.selection.main.head;
            cursorTimer = setTimeout(() => latest.current.onCursor?.(head), CURSOR_DELAY_MS);
          }
          if (!update.docChanged) return;
          if (!dirty.current) {
            dirty.current = true;
            latest.current.onDirty();
          }
          clearTimeout(timer);
          inFlight?.abort();
          timer = setTimeout(() => check(update.view), VALIDATE_DELAY_MS);
        }),
      ],
    });
    view.current = editor;
    check(editor);
    return () => {
      clearTimeout(timer);
      clearTimeout(cursorTimer);
      inFlight?.abort();
      editor.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    if (view.current && props.schema) updateSchema(view.current, props.schema as JSONSchema7);
  }, [props.schema]);

  useImperativeHandle(
    props.ref,
    (): YamlEditorHandle => ({
      source: () => view.current?.state.doc.toString() ?? '',
      replaceSource: (source) => {
        const editor = view.current;
        editor?.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: source } });
      },
      select: ([from, to]) => {
        const editor = view.current;
        if (!editor) return;
        const length = editor.state.doc.length;
        editor.dispatch({
          selection: EditorSelection.single(Math.min(from, length), Math.min(to, length)),
          effects: EditorView.scrollIntoView(Math.min(from, length), { y: 'center' }),
        });
        editor.focus();
      },
      markClean: () => {
        dirty.current = false;
      },
      applyFix: (fix) => {
        view.current?.dispatch({ changes: { from: fix.range[0], to: fix.range[1], insert: fix.text } });
      },
    }),
    [],
  );

  return <div ref={host} data-testid="yaml-editor" style={{ height: '100%', minHeight: 0 }} />;
}
