import { describe, expect, it } from 'vitest';
import { NO_EVENT } from '../config/event-file.js';
import type { Challenge } from '../domain/types.js';
import { describeChanges, type ReloadedFiles } from './changes.js';

const challenge = (id: number, extra: Partial<Challenge> = {}): Challenge => ({
  id,
  title: `C${id}`,
  category: 'web',
  difficulty: 'easy',
  points: 100,
  description: 'd',
  flag: '^secret-flag$',
  hints: [],
  requirements: [],
  ...extra,
});

const files = (extra: Partial<ReloadedFiles> = {}): ReloadedFiles => ({
  challenges: [challenge(1), challenge(2)],
  credentials: [
    { username: 'alice', password: 'a' },
    { username: 'bob', password: 'b' },
  ],
  admins: [],
  clusters: null,
  event: NO_EVENT,
  ...extra,
});

describe('describeChanges', () => {
  it('says nothing when the files say the same', () => {
    expect(describeChanges(files(), files())).toEqual([]);
  });

  it('names added, removed and changed challenges with old and new values', () => {
    const after = files({
      challenges: [challenge(1, { points: 150, title: 'New', release: Date.UTC(2026, 11, 1, 9) }), challenge(3, { points: 50 })],
    });
    expect(describeChanges(files(), after)).toEqual([
      'challenge 1 "C1": title "C1" → "New"; points 100 → 150; release none → 2026-12-01T09:00:00.000Z',
      'challenge 3 "C3": added (50 points)',
      'challenge 2 "C2": removed',
    ]);
  });

  it('never quotes flags, test flags, descriptions or hints', () => {
    const after = files({
      challenges: [
        challenge(1, { flag: '^other-secret$', testflag: 'other-secret', description: 'secret text', hints: [{ id: 1, text: 'secret hint', cost: 5 }] }),
        challenge(2),
      ],
    });
    const changes = describeChanges(files(), after);
    expect(changes).toEqual(['challenge 1 "C1": description changed; flag changed; hints changed; testflag changed']);
    expect(changes.join('\n')).not.toMatch(/secret/);
  });

  it('lists players added, removed and with a new password, without passwords', () => {
    const after = files({
      credentials: [
        { username: 'alice', password: 'changed-pw' },
        { username: 'carol', password: 'c' },
      ],
    });
    const changes = describeChanges(files(), after);
    expect(changes).toEqual([
      'players added (1): carol',
      'players removed (they can no longer log in; their past events stay) (1): bob',
      'players with a new password (1): alice',
    ]);
    expect(changes.join('\n')).not.toContain('changed-pw');
  });

  it('shortens a long list of names', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ username: `p${i}`, password: 'x' }));
    const [line] = describeChanges(files({ credentials: [] }), files({ credentials: many }));
    expect(line).toMatch(/^players added \(25\): p0, p1, .*p19 and 5 more$/);
  });

  it('tells event.yaml and game-clusters.yaml changes', () => {
    const after = files({
      event: { ...NO_EVENT, title: 'Heist', end: Date.UTC(2026, 11, 1, 12), firstBloodBonus: [30, 20, 10] },
      clusters: { controlCluster: 'c.example.com', playerClusters: ['a.example.com'] },
    });
    expect(describeChanges(files(), after)).toEqual([
      'event.yaml title: none → "Heist"',
      'event.yaml end: none → 2026-12-01T12:00:00.000Z',
      'event.yaml first_blood_bonus: [] → [30, 20, 10]',
      'game-clusters.yaml: none → c.example.com / a.example.com',
    ]);
  });
});
