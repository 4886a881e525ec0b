import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';
import { InvalidInputError, TooLargeError } from '../common/errors.js';
import { textProblem } from '../common/hostile-input.js';
import type { DatesImportFormat } from './calendars.dto.js';

/**
 * The file of a dated-hours import (POST /api/calendars/:id/dates/import, and the admin page's
 * upload): read whole, since a year of a production calendar is a few kilobytes, so capped far
 * below the events' IMPORT_MAX_BYTES — 1 MiB, or IMPORT_MAX_BYTES when that is set lower.
 */
export const DATES_IMPORT_MAX_BYTES = 1024 * 1024;

export const DATES_IMPORT_MEDIA_TYPES: Readonly<Record<string, DatesImportFormat>> = {
  'application/xml': 'xml',
  'text/xml': 'xml',
  'text/csv': 'csv',
};

const UTF8_LABELS = new Set(['utf-8', 'utf8', 'us-ascii']);

/** The largest import taken, given the service's IMPORT_MAX_BYTES. */
export function datesImportLimit(importMaxBytes: number): number {
  return Math.min(DATES_IMPORT_MAX_BYTES, importMaxBytes);
}

/**
 * The format a request's Content-Type names (its charset, if said, must be UTF-8), or a 415. A
 * body Express already parsed (JSON, a form) is not a file either.
 */
export function datesImportFormatOf(request: Request): DatesImportFormat {
  const [mediaType, ...parameters] = (request.headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
  const format = DATES_IMPORT_MEDIA_TYPES[mediaType];
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (format === undefined || request.readableEnded) {
    throw new UnsupportedMediaTypeException(
      `dated hours are imported from an xmlcalendar file (application/xml or text/xml) or CSV rows date,hours (text/csv), not ${mediaType || 'a body without Content-Type'}`,
    );
  }
  if (charset !== undefined && !UTF8_LABELS.has(charset)) throw new UnsupportedMediaTypeException(`send the file as UTF-8, not ${charset}`);
  if (encoding !== 'identity') throw new UnsupportedMediaTypeException(`send the file uncompressed, not with Content-Encoding ${encoding}`);
  return format;
}

function tooLarge(bytes: number | null, maxBytes: number): TooLargeError {
  const size = bytes === null ? 'larger' : `${bytes.toLocaleString('en')} bytes, larger`;
  return new TooLargeError('body', `the file is ${size} than the ${maxBytes.toLocaleString('en')} bytes a dated-hours import may be: nothing was imported`);
}

/**
 * The raw body, at most `maxBytes`: one declared larger is refused before reading, one that grows
 * past the limit as soon as it does (what follows is read and dropped, so the 413 still reaches
 * the client).
 */
export function readDatesImportBody(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isSafeInteger(declared) && declared > maxBytes) return Promise.reject(tooLarge(declared, maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData).off('end', onEnd).off('error', onError);
      request.resume();
      reject(tooLarge(null, maxBytes));
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    const onError = (error: Error) => reject(error);
    request.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/**
 * The file's text: UTF-8 (a byte-order mark is dropped), holding nothing no text in Concord may
 * hold (NUL, which the hostile-input rules refuse everywhere); a 400 naming `field` otherwise.
 */
export function decodeDatesImport(bytes: Uint8Array, field = 'body'): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw InvalidInputError.of(field, 'the file is not UTF-8 text');
  }
  const problem = textProblem(text);
  if (problem) throw InvalidInputError.of(field, `the file ${problem}`);
  if (text.trim() === '') throw InvalidInputError.of(field, 'the file is empty');
  return text;
}

/** The file of an import request: its format by Content-Type, its text read and checked as above. */
export async function readDatesImport(request: Request, importMaxBytes: number): Promise<{ format: DatesImportFormat; text: string }> {
  const format = datesImportFormatOf(request);
  return { format, text: decodeDatesImport(await readDatesImportBody(request, datesImportLimit(importMaxBytes))) };
}
