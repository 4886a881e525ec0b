import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
// @nestjs/throttler is CommonJS and requires @nestjs/common, which is ESM only: Node loads it, Jest's
// ESM mode does not. Its storage contract, DI token and address normaliser import nothing of Nest,
// so they are taken from their own files (the guard, which counts every request, is not wanted).
import type { ThrottlerStorage as Storage } from '@nestjs/throttler';
import { normalizeIp } from '@nestjs/throttler/dist/ip.js';
import { ThrottlerStorage } from '@nestjs/throttler/dist/throttler-storage.interface.js';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config.js';

const MINUTE_MS = 60_000;

/** A 429: too many of something in the last minute; `Retry-After` says when to come back. */
export class TooManyRequestsError extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** The client's address as Express reads it (behind TRUST_PROXY, from X-Forwarded-For); IPv6 by /64. */
export function clientAddress(request: Request): string {
  return normalizeIp(request.ip ?? request.socket?.remoteAddress ?? 'unknown');
}

/**
 * The limits at the door, on @nestjs/throttler's storage:
 * - failed authentications (unknown, revoked or integration-only tokens, bad sign-in links) per
 *   client address: past AUTH_FAILURES_PER_MINUTE the address is answered 429 for a minute. Only
 *   failures count and only failures are refused, so a valid token keeps working from an address a
 *   guesser shares (an integration behind the same NAT);
 * - sign-in link requests per client address, the same number per minute;
 * - requests per API token: TOKEN_REQUESTS_PER_MINUTE in any sliding minute.
 * Each refusal sets `Retry-After` on the response and throws TooManyRequestsError.
 */
@Injectable()
export class AuthLimits {
  constructor(
    @Inject(ThrottlerStorage) private readonly storage: Storage,
    private readonly config: AppConfig,
  ) {}

  /** Counts a failed authentication; throws the 429 when the address is over its limit, else `failure`. */
  async failed(request: Request, response: Response, failure: Error): Promise<never> {
    const address = clientAddress(request);
    const record = await this.storage.increment(address, MINUTE_MS, this.config.AUTH_FAILURES_PER_MINUTE, MINUTE_MS, 'auth-failures');
    if (record.isBlocked) {
      this.refuse(response, record.timeToBlockExpire, `too many failed sign-ins from ${address}; try again in ${record.timeToBlockExpire} s`);
    }
    throw failure;
  }

  /** Counts a request for a sign-in link from the client's address. */
  async linkRequested(request: Request, response: Response): Promise<void> {
    const address = clientAddress(request);
    const record = await this.storage.increment(address, MINUTE_MS, this.config.AUTH_FAILURES_PER_MINUTE, MINUTE_MS, 'sign-in-links');
    if (record.isBlocked) {
      this.refuse(response, record.timeToBlockExpire, `too many sign-in links asked for from ${address}; try again in ${record.timeToBlockExpire} s`);
    }
  }

  /** Spends one request of a token's budget. */
  async tokenUsed(tokenId: string, response: Response): Promise<void> {
    const record = await this.storage.increment(tokenId, MINUTE_MS, this.config.TOKEN_REQUESTS_PER_MINUTE, 0, 'token-requests');
    if (record.isBlocked) {
      this.refuse(
        response,
        record.timeToBlockExpire,
        `this token has made ${this.config.TOKEN_REQUESTS_PER_MINUTE} requests in the last minute, its limit; try again in ${record.timeToBlockExpire} s`,
      );
    }
  }

  private refuse(response: Response, seconds: number, message: string): never {
    response.setHeader('Retry-After', String(seconds));
    throw new TooManyRequestsError(message, seconds);
  }
}
