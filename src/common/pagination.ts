import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 200;
/** The largest whole number an integer column holds (PostgreSQL's `integer`): revisions, versions, positions. */
export const MAX_INTEGER = 2_147_483_647;

/** Far past any list Concord keeps, and small enough for every database's OFFSET (1e308 is not). */
export const MAX_OFFSET = 1_000_000_000;

const LIMIT_RULE = `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`;
const OFFSET_RULE = `offset must be a whole number from 0 to ${MAX_OFFSET.toLocaleString('en')}`;

/** `?limit=&offset=` on every list. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: LIMIT_RULE })
  @Min(1, { message: LIMIT_RULE })
  @Max(MAX_PAGE_SIZE, { message: LIMIT_RULE })
  limit: number = 50;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_OFFSET, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: OFFSET_RULE })
  @Min(0, { message: OFFSET_RULE })
  @Max(MAX_OFFSET, { message: OFFSET_RULE })
  offset: number = 0;
}

/** An offset typed into a page's address: anything that is not a whole number in range reads as the nearest one. */
export function offsetOfText(text: unknown): number {
  const offset = typeof text === 'string' ? Number.parseInt(text, 10) : 0;
  return Number.isFinite(offset) ? Math.min(MAX_OFFSET, Math.max(0, offset)) : 0;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export function pageOf<T, U>(items: T[], total: number, query: PageQuery, view: (item: T) => U): Page<U> {
  return { items: items.map(view), total, limit: query.limit, offset: query.offset };
}

/** An OpenAPI-described page class for a view: `class DepartmentPage extends PageOf(DepartmentView) {}`. */
export function PageOf<T>(item: new () => T) {
  class PageOfItems implements Page<T> {
    @ApiProperty({ type: [item] })
    items: T[];

    @ApiProperty({ description: 'How many items match, across all pages.' })
    total: number;

    @ApiProperty()
    limit: number;

    @ApiProperty()
    offset: number;
  }
  return PageOfItems;
}
