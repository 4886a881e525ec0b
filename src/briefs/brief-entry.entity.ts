import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import { Brief, type BriefStatus } from './brief.entity.js';

/**
 * The thread of a brief: comments, and every step of its life (with the comment a return
 * carries). Steps name the status left and entered.
 */
@Entity('brief_entries')
@Index('IDX_brief_entries_brief', ['briefId', 'at'])
export class BriefEntry {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'brief_id', type: 'varchar', length: 36 })
  briefId: string;

  @ManyToOne(() => Brief, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'brief_id', foreignKeyConstraintName: 'FK_brief_entries_brief' })
  brief?: Relation<Brief>;

  /** `comment`, or `step` for a change of status. */
  @Column({ type: 'varchar', length: 8 })
  kind: 'comment' | 'step';

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus: BriefStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16, nullable: true })
  toStatus: BriefStatus | null;

  @Column({ type: 'text', nullable: true })
  body: string | null;

  @Column({ name: 'author_id', type: 'varchar', length: 36 })
  authorId: string;

  @Column({ type: INSTANT })
  at: Date;
}
