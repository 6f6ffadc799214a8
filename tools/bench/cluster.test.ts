import { describe, expect, it } from 'vitest';
import { resolveServices, topologyLabel, topologySlug, topologyVariant } from './cluster.js';
import { addCpuUse, cpuBetween, cpuCores, type CpuSnapshot } from './cpu.js';
import { spreadConnections } from './http-client.js';
import { formatComparison, type MachineFacts, type ScenarioResult } from './report.js';

const machine: MachineFacts = { nproc: 2, cpuModel: 'test', node: 'v20', platform: 'linux', totalMemMB: 1, loadAvg: [0, 0, 0] };

function snap(at: number, ms: Partial<CpuSnapshot>): CpuSnapshot {
  return { at, ctfgMs: 0, postgresMs: 0, redisMs: 0, benchMs: 0, machineBusyMs: 0, machineTotalMs: 0, ...ms };
}

describe('topologies', () => {
  it('names SQLite ×1 as today (no file suffix) and the others by backend and count', () => {
    expect(topologyLabel({ backend: 'sqlite', instances: 1 })).toBe('SQLite ×1');
    expect(topologySlug({ backend: 'sqlite', instances: 1 })).toBe('');
    expect(topologyVariant({ backend: 'sqlite', instances: 1 })).toBeUndefined();
    expect(topologyLabel({ backend: 'postgres', instances: 3 })).toBe('PostgreSQL+Redis ×3');
    expect(topologySlug({ backend: 'postgres', instances: 3 })).toBe('-postgres-x3');
  });

  it('takes services from the flags and refuses anything off loopback', () => {
    expect(resolveServices('postgres://ctfg@127.0.0.1:54329/postgres', 'redis://localhost:6379')).toEqual({
      postgres: 'postgres://ctfg@127.0.0.1:54329/postgres',
      redis: 'redis://localhost:6379',
    });
    expect(() => resolveServices('postgres://db.example.com/postgres', 'redis://127.0.0.1:6379')).toThrow(/not loopback/);
    expect(() => resolveServices('mysql://127.0.0.1/x', 'redis://127.0.0.1:6379')).toThrow(/expected postgres/);
  });
});

describe('spreading connections like a round-robin load balancer', () => {
  it('puts connection i on port i mod n', () => {
    const conns = spreadConnections('127.0.0.1', [1001, 1002, 1003], 7);
    expect(conns.map((c) => c.port)).toEqual([1001, 1002, 1003, 1001, 1002, 1003, 1001]);
  });
});

describe('CPU accounting', () => {
  it('turns two snapshots into cores, and the unexplained rest into "other"', () => {
    const a = snap(1000, { ctfgMs: 100, postgresMs: 50, redisMs: 10, benchMs: 20, machineBusyMs: 1000, machineTotalMs: 4000 });
    // 2 s later on a 2-CPU machine: 4 s of CPU time in total, 3.6 s of it busy.
    const b = snap(3000, { ctfgMs: 1700, postgresMs: 850, redisMs: 210, benchMs: 420, machineBusyMs: 4600, machineTotalMs: 8000 });
    const cores = cpuCores(cpuBetween(a, b), 2);
    expect(cores.ctfg).toBeCloseTo(0.8);
    expect(cores.postgres).toBeCloseTo(0.4);
    expect(cores.redis).toBeCloseTo(0.1);
    expect(cores.bench).toBeCloseTo(0.2);
    expect(cores.machine).toBeCloseTo(1.8);
    expect(cores.other).toBeCloseTo(0.3);
  });

  it('adds spans (e.g. the rounds ctfg was loaded) and leaves what SQLite does not have out of "other"', () => {
    const span = cpuBetween(snap(0, { postgresMs: NaN, redisMs: NaN }), snap(1000, { ctfgMs: 500, postgresMs: NaN, redisMs: NaN, machineBusyMs: 1000, machineTotalMs: 2000 }));
    const both = addCpuUse(span, span);
    expect(both.wallMs).toBe(2000);
    const cores = cpuCores(both, 2);
    expect(cores.ctfg).toBeCloseTo(0.5);
    expect(Number.isNaN(cores.postgres)).toBe(true);
    expect(cores.other).toBeCloseTo(0.5);
  });
});

describe('the --compare-instances table', () => {
  const result = (scenario: string, throughput: number, ratio: number, extra: ScenarioResult['metrics'] = []): ScenarioResult => ({
    scenario,
    quick: true,
    params: {},
    metrics: [{ label: 'throughput', value: throughput, unit: 'req/s', floor: throughput / ratio, ratio }, ...extra],
    details: {},
    notes: [],
    wallMs: 1,
  });

  it('puts one configuration per column and skips rows no configuration has', () => {
    const table = formatComparison(
      [
        { label: 'SQLite ×1', results: [result('solve-storm', 4000, 0.7)] },
        { label: 'PostgreSQL+Redis ×3', results: [result('solve-storm', 1500, 0.25, [{ label: 'PostgreSQL CPU', value: 0.5, unit: 'cores' }])] },
      ],
      ['solve-storm'],
      machine,
    );
    const lines = table.split('\n');
    expect(lines.find((l) => l.startsWith('scenario'))).toMatch(/SQLite ×1\s+PostgreSQL\+Redis ×3$/);
    expect(lines.find((l) => l.includes(' throughput '))).toMatch(/4,000 req\/s\s+1,500 req\/s$/);
    expect(lines.find((l) => l.includes('× floor'))).toMatch(/0\.70×\s+0\.25×$/);
    expect(lines.find((l) => l.includes('PostgreSQL CPU'))).toMatch(/—\s+0\.5 cores$/);
    expect(table).not.toContain('Redis CPU');
  });
});
