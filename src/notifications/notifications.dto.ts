import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageOf, PageQuery } from '../common/pagination.js';
import { NOTIFICATION_KINDS, NOTIFICATION_STATUSES, type Notification, type NotificationKind, type NotificationStatus } from './notification.entity.js';

export class NotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  @ApiPropertyOptional({ enum: NOTIFICATION_KINDS })
  @IsOptional()
  @IsIn(NOTIFICATION_KINDS)
  kind?: NotificationKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'Messages addressed to the people of this department.' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;
}

export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: NotificationKind;
  @ApiProperty({ enum: NOTIFICATION_STATUSES }) status: NotificationStatus;
  @ApiProperty() recipientEmail: string;
  @ApiProperty({ nullable: true, type: String, description: 'Set once composed.' }) subject: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) referenceId: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ format: 'date-time' }) nextAttemptAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'The last transport error, e.g. the SMTP reply.' }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) sentAt: string | null;

  static from(this: void, notification: Notification): NotificationView {
    return {
      id: notification.id,
      kind: notification.kind,
      status: notification.status,
      recipientEmail: notification.recipientEmail,
      subject: notification.subject,
      referenceId: notification.referenceId,
      attempts: notification.attempts,
      nextAttemptAt: notification.nextAttemptAt.toISOString(),
      lastError: notification.lastError,
      createdAt: notification.createdAt.toISOString(),
      sentAt: notification.sentAt?.toISOString() ?? null,
    };
  }
}

export class NotificationPage extends PageOf(NotificationView) {}

export class DispatchView {
  @ApiProperty() sent: number;
  @ApiProperty({ description: 'Failed this time, to be tried again later.' }) retrying: number;
  @ApiProperty({ description: 'Failed for the last time.' }) failed: number;
  @ApiProperty({ description: 'No longer warranted (e.g. a breach withdrawn before its alert left).' }) skipped: number;
}
