import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging.js';
import { CloseSteps } from './close-steps.js';

describe('CloseSteps', () => {
  it('closes in reverse order, runs every step when one fails, and runs once', async () => {
    const closers = new CloseSteps(createLogger('silent'));
    const ran: string[] = [];
    closers.add('a', () => ran.push('a'));
    closers.add('b', async () => {
      ran.push('b');
      await Promise.reject(new Error('b broke'));
    });
    closers.add('c', () => ran.push('c'));
    expect(await closers.closeAll()).toBe(1);
    expect(await closers.closeAll()).toBe(1);
    expect(ran).toEqual(['c', 'b', 'a']);
  });

  it('guard unwinds what was opened before a failure and rethrows', async () => {
    const closers = new CloseSteps(createLogger('silent'));
    const ran: string[] = [];
    const started = closers.guard(async () => {
      closers.add('store', () => ran.push('store'));
      throw new Error('port in use');
    });
    await expect(started).rejects.toThrow('port in use');
    expect(ran).toEqual(['store']);
  });
});
