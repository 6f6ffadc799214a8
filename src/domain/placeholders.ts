/**
 * Per-player placeholders in challenge descriptions.
 *
 * Descriptions are rendered for every player on every challenge-list request,
 * so a description is split into literal text and placeholder slots once
 * (`compileDescription`) and rendering is then a single join. Substitution is
 * one pass: a value that itself contains `@USERNAME@` (a display name may) is
 * never expanded again.
 */
import type { Clusters } from './types.js';
import { obfuscateDisplayName } from './obfuscate.js';

/** Shown for the display-name placeholders before a player picks a name. */
export const UNSET_DISPLAY_NAME = '[unset]';

export interface PlaceholderPlayer {
  readonly username: string;
  /** Positive user id (ids start at 1). */
  readonly userId: number;
  readonly displayName: string | null;
  /** team mode (SPEC §9); null or absent: `@TEAM@` renders as empty */
  readonly team?: string | null;
  /** the player's division; null or absent: `@DIVISION@` renders as empty */
  readonly division?: string | null;
}

export interface PlaceholderSettings {
  /** Key for @OBFUSCATED_DISPLAYNAME@ (CTFG_MASK_KEY, default DEFAULT_MASK_KEY). */
  readonly maskKey: string;
  /** From game-clusters.yaml; null when the file is absent (cluster placeholders become ""). */
  readonly clusters: Clusters | null;
  /**
   * Renders @SIGNED_DISPLAYNAME@ (an HMAC made outside the domain, which stays
   * free of node: imports); null when no signing key is set, and then a
   * description using the placeholder is refused (see `usesSignedName`).
   */
  readonly signName?: ((userId: number, name: string) => string) | null;
}

export type DescriptionRenderer = (player: PlaceholderPlayer) => string;

/**
 * The player cluster for a user: `playerClusters[userId % n]`.
 *
 * This is the earlier engine's rule (`(nth (rem user-id n) clusters)`), kept
 * so organizers who pre-provisioned clusters per player get the same mapping:
 * with ids starting at 1, user 1 gets the second cluster and user n the first.
 * Empty string when there are no clusters.
 */
export function playerClusterFor(clusters: Clusters | null, userId: number): string {
  const list = clusters?.playerClusters ?? [];
  if (list.length === 0) return '';
  const index = ((Math.trunc(userId) % list.length) + list.length) % list.length;
  return list[index] ?? '';
}

type Slot = (player: PlaceholderPlayer) => string;

const PLACEHOLDER = /@(USERNAME|USERID|DISPLAYNAME|OBFUSCATED_DISPLAYNAME|SIGNED_DISPLAYNAME|CONTROL_CLUSTER|PLAYER_CLUSTER|TEAM|DIVISION)@/g;

export const SIGNED_DISPLAYNAME = '@SIGNED_DISPLAYNAME@';

/** True when `template` needs a name signer (so a game without a signing key can be refused at load). */
export function usesSignedName(template: string): boolean {
  return template.includes(SIGNED_DISPLAYNAME);
}

function signedSlot(settings: PlaceholderSettings): Slot {
  const sign = settings.signName;
  if (!sign) throw new RangeError(`${SIGNED_DISPLAYNAME} needs a signing key`);
  return (p) => (p.displayName === null ? UNSET_DISPLAY_NAME : sign(p.userId, p.displayName));
}

function slotFor(name: string, settings: PlaceholderSettings): Slot | string {
  switch (name) {
    case 'USERNAME':
      return (p) => p.username;
    case 'USERID':
      return (p) => String(p.userId);
    case 'DISPLAYNAME':
      return (p) => p.displayName ?? UNSET_DISPLAY_NAME;
    case 'OBFUSCATED_DISPLAYNAME':
      return (p) => (p.displayName === null ? UNSET_DISPLAY_NAME : obfuscateDisplayName(p.displayName, settings.maskKey));
    case 'SIGNED_DISPLAYNAME':
      return signedSlot(settings);
    case 'CONTROL_CLUSTER':
      // Same for every player: resolved now, merged into the neighbouring text.
      return settings.clusters?.controlCluster ?? '';
    case 'PLAYER_CLUSTER':
      return (p) => playerClusterFor(settings.clusters, p.userId);
    case 'TEAM':
      return (p) => p.team ?? '';
    case 'DIVISION':
      return (p) => p.division ?? '';
    default:
      return `@${name}@`;
  }
}

/**
 * Splits `template` once; the returned function renders it for one player.
 * Throws RangeError when it uses @SIGNED_DISPLAYNAME@ and `settings.signName` is unset.
 */
export function compileDescription(template: string, settings: PlaceholderSettings): DescriptionRenderer {
  const parts: (string | Slot)[] = [];
  let literal = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    literal += template.slice(last, match.index);
    last = match.index + match[0].length;
    const slot = slotFor(match[1] ?? '', settings);
    if (typeof slot === 'string') {
      literal += slot;
    } else {
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push(slot);
    }
  }
  literal += template.slice(last);
  if (literal !== '') parts.push(literal);

  if (parts.length === 0) return () => '';
  if (parts.length === 1 && typeof parts[0] === 'string') {
    const constant = parts[0];
    return () => constant;
  }
  return (player) => {
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : part(player);
    return out;
  };
}
