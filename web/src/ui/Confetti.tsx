/**
 * A short CSS-only confetti burst for a correct flag. Pieces are generated once per mount; the
 * stylesheet disables the animation for people who prefer reduced motion.
 */
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';

const COLORS = ['#34d399', '#3b82f6', '#a855f7', '#f472b6', '#fbbf24', '#22d3ee'];

export function Confetti(props: { readonly pieces?: number }): JSX.Element {
  const pieces = useMemo(() => {
    const n = props.pieces ?? 56;
    return Array.from({ length: n }, (_, i) => {
      const angle = (Math.PI * 2 * i) / n + Math.random() * 0.4;
      const dist = 120 + Math.random() * 220;
      return {
        '--dx': `${Math.cos(angle) * dist}px`,
        '--dy': `${Math.sin(angle) * dist - 120}px`,
        '--rot': `${Math.round(Math.random() * 720 - 360)}deg`,
        '--delay': `${Math.round(Math.random() * 120)}ms`,
        background: COLORS[i % COLORS.length] ?? '#fff',
      };
    });
  }, [props.pieces]);
  return (
    <div class="confetti" aria-hidden="true">
      {pieces.map((style, i) => (
        <span key={i} class={i % 3 === 0 ? 'confetti-piece round' : 'confetti-piece'} style={style} />
      ))}
    </div>
  );
}
