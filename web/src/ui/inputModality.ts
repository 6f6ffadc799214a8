/**
 * Remembers whether the last input was a pointer or the keyboard, on <html data-input>. The app moves
 * focus to each page's heading on navigation (for keyboard and screen-reader users); some browsers
 * then match :focus-visible even after a click or the Back button, so the stylesheet hides that
 * heading ring unless the keyboard was the last thing used.
 */
export function trackInputModality(doc: Document): void {
  const root = doc.documentElement;
  doc.addEventListener('pointerdown', () => (root.dataset.input = 'pointer'), { capture: true, passive: true });
  doc.addEventListener(
    'keydown',
    (e: KeyboardEvent) => {
      // Shortcuts (Ctrl+R, Alt+←) are not keyboard navigation inside the page.
      if (!e.ctrlKey && !e.metaKey && !e.altKey) root.dataset.input = 'keyboard';
    },
    { capture: true, passive: true },
  );
}
