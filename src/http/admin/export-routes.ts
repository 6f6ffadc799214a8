import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { resultsCsv } from '../../backup/results-csv.js';
import { exportStore } from '../../backup/run.js';
import { shownName } from '../../state/player.js';
import type { HttpContext } from '../context.js';
import { audit, requireAdmin } from './admin-auth.js';

/**
 * GET /api/admin/export/results.csv: the live board (never frozen) as CSV.
 * GET /api/admin/export/backup.jsonl: what `ctfg export` writes, from the
 * running server (a consistent snapshot), streamed as it is read.
 */
export function exportRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/api/admin/export/results.csv', async (req, reply) => {
    const admin = await requireAdmin(ctx, req);
    const lines = ctx.state.liveRows().map((r, i) => ({
      pos: i + 1,
      username: r.player.username,
      displayname: shownName(r.player),
      team: '',
      division: '',
      score: r.score,
      solves: r.solves,
      lastTs: r.lastTs,
    }));
    await audit(ctx, req, admin.name, 'export_results', { players: lines.length });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="results.csv"')
      .header('cache-control', 'no-store')
      .send(resultsCsv(lines));
  });

  app.get('/api/admin/export/backup.jsonl', async (req, reply) => {
    const admin = await requireAdmin(ctx, req);
    const out = new PassThrough();
    exportStore(ctx.backupLocation, out, () => undefined).then(
      (lines) => {
        out.end();
        return audit(ctx, req, admin.name, 'export_backup', { lines });
      },
      (err: unknown) => {
        // The header is sent: a cut-off download has no end line, which import refuses.
        req.log.error({ err }, 'backup download failed');
        out.destroy(err instanceof Error ? err : new Error(String(err)));
      },
    ).catch((err: unknown) => req.log.error({ err }, 'auditing a backup download failed'));
    return reply
      .type('application/x-ndjson; charset=utf-8')
      .header('content-disposition', 'attachment; filename="ctfg-backup.jsonl"')
      .header('cache-control', 'no-store')
      .send(out);
  });
}
