/** Renders organizer-written Markdown/HTML through the sanitizing pipeline, memoised per source. */
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { renderMarkdown } from '../markdown/render.js';

export function Markdown(props: { readonly source: string; readonly class?: string }): JSX.Element {
  const html = useMemo(() => renderMarkdown(props.source), [props.source]);
  // Safe: `html` is DOMPurify output (see markdown/render.ts).
  return <div class={`prose ${props.class ?? ''}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
