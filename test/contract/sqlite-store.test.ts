import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/server.js';
import { storeContract } from './store-contract.js';
import { moderationStoreContract } from './moderation-store-contract.js';

storeContract('SQLite', async () => new SqliteStore({ dbDir: tempDir('ctfg-contract-') }));
moderationStoreContract('SQLite', async () => new SqliteStore({ dbDir: tempDir('ctfg-contract-') }));
