import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { TokenScope } from '../access/token-scopes.js';
import { INSTANT } from '../database/columns.js';
import { Person } from '../org/person.entity.js';

/** An API token. Only its SHA-256 hash is stored; the secret is shown once, at creation. */
@Entity('api_tokens')
@Index('UQ_api_tokens_hash', ['tokenHash'], { unique: true })
@Index('IDX_api_tokens_person', ['personId'])
export class ApiToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'person_id', type: 'varchar', length: 36 })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'FK_api_tokens_person' })
  person?: Relation<Person>;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  scope: TokenScope;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  /** The first characters of the secret, so people can tell their tokens apart. */
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: INSTANT, nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: INSTANT, nullable: true })
  revokedAt: Date | null;
}
