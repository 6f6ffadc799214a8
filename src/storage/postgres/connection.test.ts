import { describe, expect, it } from 'vitest';
import { postgresConfig, postgresUrlProblem } from './connection.js';

describe('PostgreSQL URLs', () => {
  it('reads a socket folder and no host, as libpq does', () => {
    expect(postgresConfig({ url: 'postgresql://ctfg@/game?host=/var/run/postgresql', defaultUser: 'x' })).toMatchObject({
      host: '/var/run/postgresql',
      user: 'ctfg',
      database: 'game',
    });
  });

  it('fills in the default user when the URL names none', () => {
    expect(postgresConfig({ url: 'postgresql:///game?host=/tmp', defaultUser: 'alice' })).toMatchObject({ host: '/tmp', user: 'alice', database: 'game' });
  });

  it('refuses other schemes', () => {
    expect(postgresUrlProblem('postgresql://ctfg@/game?host=/run/postgresql')).toBeNull();
    expect(postgresUrlProblem('http://db/game')).toBe('must start with postgres:// or postgresql://');
  });
});
