import type { NextFunction, Request, Response } from 'express';
import { requestTurns } from './request-turns.js';

const request = (path: string) => ({ path }) as Request;
const response = {} as Response;
const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('requestTurns', () => {
  it('starts queued requests one per turn of the event loop, in the order they arrived', async () => {
    const turns = requestTurns(() => false);
    const started: string[] = [];
    for (const name of ['a', 'b', 'c']) turns(request(`/${name}`), response, (() => started.push(name)) as NextFunction);
    expect(started).toEqual([]);
    await immediate();
    expect(started).toEqual(['a']);
    await immediate();
    expect(started).toEqual(['a', 'b']);
    await immediate();
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('lets what arrives between two turns in before the rest of the queue only when it is answered at once', async () => {
    const turns = requestTurns((path) => path === '/health');
    const started: string[] = [];
    const send = (path: string) => turns(request(path), response, (() => started.push(path)) as NextFunction);
    send('/a');
    send('/b');
    await immediate();
    send('/health');
    send('/c');
    expect(started).toEqual(['/a', '/health']);
    await immediate();
    await immediate();
    expect(started).toEqual(['/a', '/health', '/b', '/c']);
  });

  it('starts a request on the next turn once the queue has emptied', async () => {
    const turns = requestTurns(() => false);
    const started: string[] = [];
    turns(request('/a'), response, (() => started.push('a')) as NextFunction);
    await immediate();
    await immediate();
    turns(request('/b'), response, (() => started.push('b')) as NextFunction);
    await immediate();
    expect(started).toEqual(['a', 'b']);
  });
});
