// The template editor: CodeMirror 6 with JSON highlighting, folding, search,
// bracket matching, and diagnostics pushed from validation (syntax, schema,
// engine) shown in the gutter and underlined at their range.

import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, highlightSpecialChars, rectangularSelection, crosshairCursor, dropCursor } from "@codemirror/view";
import { EditorState } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting, HighlightStyle } from "@codemirror/language";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { setDiagnostics, lintGutter, lintKeymap } from "@codemirror/lint";
import { json } from "@codemirror/lang-json";
import { tags as t } from "@lezer/highlight";

const highlight = HighlightStyle.define([
  { tag: t.propertyName, color: "#1d4ed8" },
  { tag: t.string, color: "#0f766e" },
  { tag: t.number, color: "#b45309" },
  { tag: [t.bool, t.null], color: "#9333ea" },
  { tag: t.punctuation, color: "#64748b" },
  { tag: t.brace, color: "#475569" },
  { tag: t.squareBracket, color: "#475569" },
  { tag: t.invalid, color: "#dc2626" },
]);

const theme = EditorView.theme({
  "&": { height: "100%", fontSize: "12.5px", backgroundColor: "#fff" },
  ".cm-scroller": { fontFamily: "'JetBrains Mono', 'DejaVu Sans Mono', ui-monospace, Menlo, Consolas, monospace", lineHeight: "1.55" },
  ".cm-gutters": { backgroundColor: "#f8fafc", borderRight: "1px solid #e2e8f0", color: "#94a3b8" },
  ".cm-activeLine": { backgroundColor: "#f1f5f9" },
  ".cm-activeLineGutter": { backgroundColor: "#e2e8f0", color: "#334155" },
  "&.cm-focused": { outline: "none" },
  ".cm-selectionBackground, &.cm-focused .cm-selectionBackground": { backgroundColor: "#c7d2fe !important" },
  ".cm-tooltip-lint": { maxWidth: "460px" },
});

/**
 * @param {HTMLElement} parent
 * @param {{ onChange: (text: string) => void, onCursor?: (offset: number) => void, onRun?: () => void }} hooks
 */
export function createEditor(parent, { onChange, onCursor, onRun }) {
  let silent = false;
  const extensions = [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        foldGutter(),
        drawSelection(),
        dropCursor(),
        EditorState.allowMultipleSelections.of(true),
        indentOnInput(),
        syntaxHighlighting(highlight),
        bracketMatching(),
        closeBrackets(),
        rectangularSelection(),
        crosshairCursor(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        search({ top: true }),
        lintGutter(),
        json(),
        EditorView.lineWrapping,
        theme,
        EditorView.contentAttributes.of({ "aria-label": "Template JSON", spellcheck: "false" }),
        // Ctrl/Cmd+Enter renders now (instead of CodeMirror's "insert blank line").
        keymap.of([{ key: "Mod-Enter", run: () => (onRun?.(), true) }]),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...lintKeymap, indentWithTab]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !silent) onChange(u.state.doc.toString());
          if ((u.selectionSet || u.docChanged) && onCursor) onCursor(u.state.selection.main.head);
        }),
  ];
  const view = new EditorView({ parent, state: EditorState.create({ doc: "", extensions }) });

  return {
    view,
    getText: () => view.state.doc.toString(),
    /** Replace the whole document (a new template); not an undoable edit of the old one. */
    setText(text, { notify = false } = {}) {
      silent = !notify;
      view.setState(EditorState.create({ doc: text, extensions }));
      silent = false;
    },
    setDiagnostics(problems) {
      const len = view.state.doc.length;
      const diagnostics = problems.map((p) => ({
        from: Math.min(p.from, len),
        to: Math.min(Math.max(p.to, p.from), len),
        severity: p.severity,
        source: p.source,
        message: p.message,
      }));
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    /** Put the cursor at an offset and scroll it into view. */
    reveal(from, to = from) {
      view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
      view.focus();
    },
    focus: () => view.focus(),
  };
}
