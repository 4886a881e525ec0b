import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';
import { extname } from 'node:path';

export const IMPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const FORMAT_OF_MEDIA_TYPE: Record<string, ImportFormat> = {
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'text/csv': 'csv',
};

const FORMAT_OF_EXTENSION: Record<string, ImportFormat> = { '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.csv': 'csv' };

export function isImportFormat(value: unknown): value is ImportFormat {
  return IMPORT_FORMATS.includes(value as ImportFormat);
}

/** The format of a file by its extension (.csv, .ndjson, .jsonl), if it tells. */
export function importFormatOfFileName(path: string): ImportFormat | undefined {
  return FORMAT_OF_EXTENSION[extname(path).toLowerCase()];
}

/**
 * The format of an uploaded file: `?format=` if given, else its Content-Type. The body must still
 * be unread: JSON and form bodies are consumed by Express' parsers before any handler runs.
 */
export function importFormatOfRequest(request: Request, requested: ImportFormat | undefined): ImportFormat {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const format = requested ?? FORMAT_OF_MEDIA_TYPE[mediaType];
  if (format === undefined || request.readableEnded) {
    throw new UnsupportedMediaTypeException(
      `an import is sent as ${Object.keys(FORMAT_OF_MEDIA_TYPE).join(', ')} (or any type but JSON and forms with ?format=ndjson|csv), ` +
        `not ${mediaType || 'a body without Content-Type'}`,
    );
  }
  return format;
}
