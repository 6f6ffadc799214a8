import { describe, expect, it } from 'vitest';
import type { GameFileProblem } from '../domain/types.js';
import { parseClusters } from './clusters.js';

function problemsOf(text: string): readonly GameFileProblem[] {
  const result = parseClusters(text);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('parseClusters', () => {
  it('reads the fixture style: document marker, indented items, keys in any order', () => {
    const text = '---\nplayer_clusters:\n - a.example.com\n - b.example.com\n\ncontrol_cluster: control.example.com\n';
    expect(parseClusters(text)).toEqual({
      ok: true,
      value: { controlCluster: 'control.example.com', playerClusters: ['a.example.com', 'b.example.com'] },
    });
  });

  it('accepts comments and flow lists', () => {
    const text = '# clusters\ncontrol_cluster: c # the control plane\nplayer_clusters: [x, y]\n';
    expect(parseClusters(text)).toEqual({ ok: true, value: { controlCluster: 'c', playerClusters: ['x', 'y'] } });
  });

  it('reports unknown keys with their line', () => {
    const problems = problemsOf('control_cluster: c\nplayer_clusters:\n  - a\nplayer_cluster: b\n');
    expect(problems).toEqual([
      {
        file: 'game-clusters.yaml',
        where: 'line 4',
        message: 'unknown key "player_cluster": only control_cluster and player_clusters are allowed',
      },
    ]);
  });

  it('reports missing keys', () => {
    expect(problemsOf('control_cluster: c\n')[0]?.message).toMatch(/player_clusters is missing/);
    expect(problemsOf('player_clusters: [a]\n')[0]?.message).toMatch(/control_cluster is missing/);
  });

  it('reports wrong types and empty lists', () => {
    expect(problemsOf('control_cluster: [a]\nplayer_clusters: [a]\n')[0]).toMatchObject({
      where: 'line 1, key control_cluster',
      message: expect.stringMatching(/must be a host name/),
    });
    expect(problemsOf('control_cluster: c\nplayer_clusters: a.example.com\n')[0]?.message).toMatch(/must be a list/);
    expect(problemsOf('control_cluster: c\nplayer_clusters: []\n')[0]?.message).toMatch(/at least one/);
    expect(problemsOf('control_cluster: c\nplayer_clusters:\n  - a\n  - {x: 1}\n')[0]?.where).toBe(
      'line 4, key player_clusters[1]',
    );
  });

  it('reports invalid YAML, a non-mapping and an empty file', () => {
    expect(problemsOf('control_cluster: [unclosed\n')[0]?.message).toMatch(/not valid YAML/);
    expect(problemsOf('- a\n- b\n')[0]?.message).toMatch(/must be a mapping/);
    expect(problemsOf('---\n')[0]?.message).toMatch(/must be a mapping/);
  });

  it('reports duplicate keys', () => {
    expect(problemsOf('control_cluster: a\ncontrol_cluster: b\nplayer_clusters: [x]\n')[0]?.message).toMatch(/not valid YAML/);
  });
});
