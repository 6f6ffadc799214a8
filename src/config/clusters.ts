/**
 * game-clusters.yaml (optional; SPEC §1): exactly `control_cluster` (text)
 * and `player_clusters` (a non-empty list of text). Anything else is a
 * problem with its line number, rather than a silently ignored typo.
 */
import { isMap, isNode, isScalar, isSeq } from 'yaml';
import type { Clusters, LoadResult } from '../domain/types.js';
import { describeValue, parseYamlFile, ProblemList } from './problems.js';

export const CLUSTERS_FILE = 'game-clusters.yaml';

/** A node's plain value: scalars as themselves, lists and maps as JS values. */
function plain(node: unknown): unknown {
  if (isScalar(node)) return node.value;
  if (isNode(node)) return node.toJSON();
  return node ?? null;
}

const EXAMPLE = 'expected:\n  control_cluster: cluster.example.com\n  player_clusters:\n    - a.example.com';

/** Parses and validates game-clusters.yaml text. `file` names it in problems. */
export function parseClusters(text: string, file: string = CLUSTERS_FILE): LoadResult<Clusters> {
  const problems = new ProblemList(file);
  const empty: Clusters = { controlCluster: '', playerClusters: [] };
  const parsed = parseYamlFile(text, problems);
  if (!parsed) return problems.result(empty);
  const { doc, lineCounter } = parsed;

  const lineOf = (node: unknown): string => {
    const start = isNode(node) ? node.range?.[0] : undefined;
    return start === undefined ? 'whole file' : `line ${lineCounter.linePos(start).line}`;
  };

  const root = doc.contents;
  if (!isMap(root)) {
    problems.add('whole file', `must be a mapping with control_cluster and player_clusters; ${EXAMPLE}`);
    return problems.result(empty);
  }

  let controlCluster: string | undefined;
  let playerClusters: string[] | undefined;
  let controlSeen = false;
  let playersSeen = false;
  for (const pair of root.items) {
    const keyNode = isScalar(pair.key) ? pair.key : null;
    const key = keyNode === null ? undefined : keyNode.value;
    const at = lineOf(keyNode);
    if (key === 'control_cluster') {
      controlSeen = true;
      const value = plain(pair.value);
      if (typeof value !== 'string' || value.trim() === '') {
        problems.add(`${at}, key control_cluster`, `must be a host name (text), not ${describeValue(value)}`);
      } else {
        controlCluster = value.trim();
      }
    } else if (key === 'player_clusters') {
      playersSeen = true;
      playerClusters = readPlayerClusters(pair.value, `${at}, key player_clusters`, lineOf, problems);
    } else {
      problems.add(
        at,
        `unknown key ${JSON.stringify(typeof key === 'string' ? key : String(key))}: only control_cluster and player_clusters are allowed`,
      );
    }
  }
  if (!controlSeen) problems.add('whole file', `control_cluster is missing; ${EXAMPLE}`);
  if (!playersSeen) problems.add('whole file', `player_clusters is missing; ${EXAMPLE}`);

  if (controlCluster === undefined || playerClusters === undefined) return problems.result(empty);
  return problems.result({ controlCluster, playerClusters });
}

function readPlayerClusters(
  node: unknown,
  at: string,
  lineOf: (node: unknown) => string,
  problems: ProblemList,
): string[] | undefined {
  if (!isSeq(node)) {
    const value = plain(node);
    problems.add(at, `must be a list of host names ("- a.example.com" lines), not ${describeValue(value)}`);
    return undefined;
  }
  if (node.items.length === 0) {
    problems.add(at, 'must list at least one player cluster');
    return undefined;
  }
  const clusters: string[] = [];
  let ok = true;
  node.items.forEach((item, i) => {
    const value = plain(item);
    if (typeof value !== 'string' || value.trim() === '') {
      problems.add(`${lineOf(item)}, key player_clusters[${i}]`, `must be a host name (text), not ${describeValue(value)}`);
      ok = false;
    } else {
      clusters.push(value.trim());
    }
  });
  return ok ? clusters : undefined;
}
