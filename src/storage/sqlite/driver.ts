import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

/*
 * Which better-sqlite3 this Node can run. No single release serves Node 20,
 * 22 and 24: 13 is built for Node-API 10, which Node 20 never got (it crashes
 * on the first open there), and 12 aborts on Node 24 when a statement is
 * finalised ("Assertion failed: (env) != nullptr"). So each Node gets the
 * release its maintainers support, by Node-API level: 13 from Node-API 10
 * (Node 22.14+, 24), 12 below it (Node 20, 22.0-22.13). Both have the same API.
 * Drop the 12 alias (package.json optionalDependencies) with Node 20.
 */

/** The Node-API level better-sqlite3 13 is built for. */
export const NODE_API_FOR_CURRENT = 10;
export const CURRENT_PACKAGE = 'better-sqlite3';
export const NODE20_PACKAGE = 'better-sqlite3-node20';

/** The package name of the driver for a Node with this Node-API level. */
export function driverPackage(nodeApi: number): string {
  return nodeApi >= NODE_API_FOR_CURRENT ? CURRENT_PACKAGE : NODE20_PACKAGE;
}

/** Loads driver package `name`, or says in one line what to do about it. */
export function loadDriver(name: string): typeof BetterSqlite3 {
  try {
    return createRequire(import.meta.url)(name) as typeof BetterSqlite3;
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`SQLite driver ${name} for Node ${process.version} could not be loaded (${why}); run npm ci (or npm rebuild) with this Node`, { cause: err });
  }
}

/** better-sqlite3's Database constructor, the release that fits this Node. */
const Database = loadDriver(driverPackage(Number(process.versions.napi)));
export default Database;
