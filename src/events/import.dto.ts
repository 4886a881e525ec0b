import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { REPORTED_ERRORS, type ImportError, type ImportSummary } from './event-importer.js';
import { IMPORT_FORMATS, type ImportFormat } from './import-format.js';

export class ImportQuery {
  @ApiPropertyOptional({ enum: IMPORT_FORMATS, description: 'The file format, when the Content-Type does not say it.' })
  @IsOptional()
  @IsIn(IMPORT_FORMATS, { message: `format must be one of ${IMPORT_FORMATS.join(', ')}` })
  format?: ImportFormat;
}

export class ImportErrorView implements ImportError {
  @ApiProperty({ description: 'Line of the file, from 1 (a CSV header is line 1; a record over several lines is at its first).' })
  line: number;

  @ApiProperty({ example: 'occurredAt must be an ISO 8601 instant with its offset, e.g. 2026-11-02T09:15:00+01:00' })
  reason: string;
}

export class ImportSummaryView implements ImportSummary {
  @ApiProperty({ description: 'Lines in the file, blank lines and the CSV header included.' }) lines: number;
  @ApiProperty() accepted: number;
  @ApiProperty({ description: 'Events already stored (same key, or same content without a key).' }) duplicates: number;
  @ApiProperty({ description: 'Lines that could not be read plus events refused; each is skipped, the rest is kept.' }) rejected: number;
  @ApiProperty({ description: 'Accepted events that fell under no agreement in force: nothing measures them.' }) unmatched: number;
  @ApiProperty({ type: [ImportErrorView], description: `The first ${REPORTED_ERRORS} rejections, in file order.` }) errors: ImportErrorView[];
  @ApiProperty({ description: `Rejections beyond the first ${REPORTED_ERRORS}.` }) moreErrors: number;
}
