/** Inline SVG icons (no icon font download). All are decorative: aria-hidden. */
import type { JSX } from 'preact';

type IconProps = { readonly size?: number; readonly class?: string };

function Svg(props: IconProps & { readonly children: JSX.Element | JSX.Element[] }): JSX.Element {
  const size = props.size ?? 18;
  return (
    <svg
      class={`icon ${props.class ?? ''}`}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {props.children}
    </svg>
  );
}

export const FlagIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <path d="M4 22V4" />
    <path d="M4 4h12l-2 4 2 4H4" />
  </Svg>
);
export const TrophyIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <path d="M8 21h8M12 17v4M7 4h10v5a5 5 0 0 1-10 0V4Z" />
    <path d="M17 6h3a3 3 0 0 1-3 5M7 6H4a3 3 0 0 0 3 5" />
  </Svg>
);
export const UserIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <circle cx="12" cy="8" r="4" />
    <path d="M4 21a8 8 0 0 1 16 0" />
  </Svg>
);
export const LogoutIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <path d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3" />
    <path d="M10 17l-5-5 5-5M5 12h11" />
  </Svg>
);
export const CheckIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <path d="M5 12.5l4.5 4.5L19 7.5" />
  </Svg>
);
export const LockIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <rect x="5" y="11" width="14" height="10" rx="2" />
    <path d="M8 11V8a4 4 0 0 1 8 0v3" />
  </Svg>
);
export const BulbIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <path d="M9 18h6M10 21h4" />
    <path d="M12 3a6 6 0 0 0-3.5 10.9c.6.5 1 1.2 1 2.1h5c0-.9.4-1.6 1-2.1A6 6 0 0 0 12 3Z" />
  </Svg>
);
export const ArrowLeftIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <path d="M15 18l-6-6 6-6" />
  </Svg>
);
export const SparkIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <path d="M12 3v4M12 17v4M3 12h4M17 12h4M5.6 5.6l2.8 2.8M15.6 15.6l2.8 2.8M5.6 18.4l2.8-2.8M15.6 8.4l2.8-2.8" />
  </Svg>
);
export const ChartIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <path d="M4 20V4M4 20h16" />
    <path d="M7 15l4-5 3 3 5-7" />
  </Svg>
);
export const ActivityIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <path d="M3 12h4l3-8 4 16 3-8h4" />
  </Svg>
);
export const BellIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
    <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
  </Svg>
);
export const PauseIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <path d="M9 5v14M15 5v14" />
  </Svg>
);
export const ClockIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 7v5l3 2" />
  </Svg>
);
export const DropIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <path d="M12 3s6 6.5 6 11a6 6 0 0 1-12 0c0-4.5 6-11 6-11Z" />
  </Svg>
);
export const SnowIcon = (p: IconProps): JSX.Element => (
  <Svg {...p}>
    <path d="M12 2v20M4.9 6.5l14.2 11M19.1 6.5 4.9 17.5" />
  </Svg>
);

/** The ctfg mark: a flag in a gradient disc. Gradient ids are unique per size to avoid clashes. */
export function Logo(props: { readonly size?: number }): JSX.Element {
  const size = props.size ?? 32;
  const id = `ctfg-logo-${size}`;
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false" class="logo-mark">
      <defs>
        <linearGradient id={id} x1="0" y1="0" x2="32" y2="32" gradientUnits="userSpaceOnUse">
          <stop offset="0" stop-color="#34d399" />
          <stop offset="0.55" stop-color="#3b82f6" />
          <stop offset="1" stop-color="#a855f7" />
        </linearGradient>
      </defs>
      <circle cx="16" cy="16" r="16" fill={`url(#${id})`} />
      <path d="M11 24V8.5" stroke="#fff" stroke-width="2.2" stroke-linecap="round" />
      <path d="M11 9h10.5l-2.4 3.6 2.4 3.6H11" fill="#fff" fill-opacity="0.92" stroke="#fff" stroke-width="1.6" stroke-linejoin="round" />
    </svg>
  );
}
