/** Reads one sample from Prometheus text: `name{labels} value` (labels matched as a substring). */
export function metricValue(text: string, name: string, labels = ''): number {
  let total = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    if (labels && !(m[2] ?? '').includes(labels)) continue;
    total += Number(m[3]);
    found = true;
  }
  return found ? total : NaN;
}

export async function scrape(base: string, headers: Record<string, string> = {}): Promise<string> {
  const r = await fetch(`${base}/metrics`, { headers });
  if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`);
  return r.text();
}
