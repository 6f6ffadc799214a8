/**
 * Challenge text → safe HTML. Descriptions, hints and `content` are Markdown mixed with HTML written
 * by organizers; we render with marked and then sanitize the *whole* output with DOMPurify, so
 * nothing that reaches the DOM (including highlighted code) bypasses the sanitizer.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { highlightCode } from './highlight.js';

const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    code({ text, lang }) {
      const { html, language } = highlightCode(text, lang);
      const safeLang = language.replace(/[^\w-]/g, '');
      return `<pre><code class="hljs language-${safeLang}">${html}</code></pre>\n`;
    },
  },
});

// A private instance: hooks here must not leak into any other DOMPurify user.
const purify = DOMPurify(window);

purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName !== 'A') return;
  const href = node.getAttribute('href');
  if (href === null || href.startsWith('#')) return; // in-app links (e.g. #challenge-3) stay in the tab
  // Off-site links open in a new tab and cannot script or learn about this one.
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', 'noopener noreferrer');
});

const SANITIZE_OPTIONS = {
  USE_PROFILES: { html: true },
  // <style> could restyle the whole app; forms could imitate the flag or login form.
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option'],
  ADD_ATTR: ['target'],
};

export function sanitizeHtml(html: string): string {
  return purify.sanitize(html, SANITIZE_OPTIONS);
}

export function renderMarkdown(source: string): string {
  let html: string;
  try {
    html = marked.parse(source, { async: false });
  } catch {
    html = source; // a Markdown edge case must not hide the challenge; the sanitizer still runs
  }
  return sanitizeHtml(html);
}
