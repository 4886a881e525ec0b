import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { INSTANT } from '../database/columns.js';
import { Person } from '../org/person.entity.js';
import { ApiToken } from './api-token.entity.js';

/**
 * A browser session: the cookie holds a secret, the database its SHA-256 hash, so a copy of the
 * database signs nobody in. The CSRF token of the session's forms is kept with it (synchronizer
 * token): a form posted from another site cannot know it.
 */
@Entity('web_sessions')
@Index('UQ_web_sessions_secret', ['secretHash'], { unique: true })
@Index('IDX_web_sessions_person', ['personId'])
@Index('IDX_web_sessions_token', ['tokenId'])
export class WebSession {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash: string;

  @Column({ name: 'person_id', type: 'varchar', length: 36 })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'FK_web_sessions_person' })
  person?: Relation<Person>;

  /** The API token the session was opened with (null for an emailed link): revoking it ends the session. */
  @Column({ name: 'token_id', type: 'varchar', length: 36, nullable: true })
  tokenId: string | null;

  @ManyToOne(() => ApiToken, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'token_id', foreignKeyConstraintName: 'FK_web_sessions_token' })
  token?: Relation<ApiToken> | null;

  @Column({ name: 'csrf_token', type: 'varchar', length: 64 })
  csrfToken: string;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'expires_at', type: INSTANT })
  expiresAt: Date;

  /** Set at sign-out; an ended session never comes back. */
  @Column({ name: 'ended_at', type: INSTANT, nullable: true })
  endedAt: Date | null;
}

/** A single-use link that signs a person in, sent to their address; valid for minutes. */
@Entity('sign_in_links')
@Index('UQ_sign_in_links_secret', ['secretHash'], { unique: true })
@Index('IDX_sign_in_links_person', ['personId'])
export class SignInLink {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash: string;

  @Column({ name: 'person_id', type: 'varchar', length: 36 })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'FK_sign_in_links_person' })
  person?: Relation<Person>;

  @Column({ name: 'created_at', type: INSTANT })
  createdAt: Date;

  @Column({ name: 'expires_at', type: INSTANT })
  expiresAt: Date;

  @Column({ name: 'used_at', type: INSTANT, nullable: true })
  usedAt: Date | null;
}
