import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { StageEntry } from '../../tracking/stage-entry.entity.js';

/**
 * How many subjects entered each stage: the stage_entries rows per stage, one grouped query.
 * Read here rather than by StagesService: tracking keeps the entries and lies downstream of
 * agreements, which may not read them.
 */
@Injectable()
export class StageEntryCounts {
  constructor(@InjectRepository(StageEntry) private readonly entries: Repository<StageEntry>) {}

  async perStage(): Promise<Map<string, number>> {
    const rows = await this.entries
      .createQueryBuilder('entry')
      .select('entry.stageId', 'stageId')
      .addSelect('COUNT(*)', 'count')
      .groupBy('entry.stageId')
      .getRawMany<{ stageId: string; count: string | number }>();
    return new Map(rows.map((row) => [row.stageId, Number(row.count)]));
  }
}
