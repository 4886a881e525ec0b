import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { NotFoundError } from '../common/errors.js';
import type { Page } from '../common/pagination.js';
import { AgreementApproval } from './agreement-approval.entity.js';
import { AgreementVersion } from './agreement-version.entity.js';
import { Agreement } from './agreement.entity.js';
import { AgreementView, VersionView, type AgreementsQuery } from './agreements.dto.js';

/** Departments whose head has approved the current proposal of a version. */
export function approvedDepartments(version: AgreementVersion, approvals: AgreementApproval[]): Set<string> {
  return new Set(
    approvals
      .filter((approval) => approval.proposalRound === version.proposalRound && approval.decision === 'approve')
      .map((approval) => approval.departmentId),
  );
}

/** Builds agreement and version views with few queries, for one agreement or a page of them. */
@Injectable()
export class AgreementViews {
  async one(manager: EntityManager, id: string): Promise<AgreementView> {
    const agreement = await manager.findOne(Agreement, { where: { id } });
    if (!agreement) throw new NotFoundError('agreement', id);
    return (await this.build(manager, [agreement]))[0];
  }

  async page(manager: EntityManager, query: AgreementsQuery): Promise<Page<AgreementView>> {
    const builder = manager.createQueryBuilder(Agreement, 'agreement');
    if (query.status) builder.andWhere('agreement.status = :status', { status: query.status });
    if (query.kind) builder.andWhere('agreement.kind = :kind', { kind: query.kind });
    if (query.departmentId) {
      builder.andWhere('(agreement.providerDepartmentId = :department OR agreement.consumerDepartmentId = :department)', {
        department: query.departmentId,
      });
    }
    const [agreements, total] = await builder
      .orderBy('agreement.createdAt', 'ASC')
      .addOrderBy('agreement.id', 'ASC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    return { items: await this.build(manager, agreements), total, limit: query.limit, offset: query.offset };
  }

  async versions(manager: EntityManager, agreementId: string): Promise<VersionView[]> {
    const agreement = await manager.findOne(Agreement, { where: { id: agreementId } });
    if (!agreement) throw new NotFoundError('agreement', agreementId);
    const versions = await manager.find(AgreementVersion, { where: { agreementId }, order: { number: 'ASC' } });
    const approvals = await this.approvalsOf(manager, versions);
    return versions.map((version) => this.version(agreement, version, approvals.get(version.id) ?? []));
  }

  version(agreement: Agreement, version: AgreementVersion, approvals: AgreementApproval[]): VersionView {
    const approved = approvedDepartments(version, approvals);
    const awaiting =
      version.status === 'proposed'
        ? [agreement.providerDepartmentId, agreement.consumerDepartmentId].filter((department) => !approved.has(department))
        : [];
    return VersionView.from(version, approvals, awaiting);
  }

  private async build(manager: EntityManager, agreements: Agreement[]): Promise<AgreementView[]> {
    if (agreements.length === 0) return [];
    const versions = await manager.find(AgreementVersion, {
      where: { agreementId: In(agreements.map((a) => a.id)) },
      order: { number: 'ASC' },
    });
    const approvals = await this.approvalsOf(manager, versions.filter((v) => v.status === 'active' || v.status === 'draft' || v.status === 'proposed'));
    return agreements.map((agreement) => {
      const own = versions.filter((version) => version.agreementId === agreement.id);
      const view = (version: AgreementVersion | undefined) =>
        version ? this.version(agreement, version, approvals.get(version.id) ?? []) : null;
      const inForce = view(own.find((version) => version.status === 'active'));
      const pending = view(own.find((version) => version.status === 'draft' || version.status === 'proposed'));
      const latest = view(own[own.length - 1]) as VersionView;
      return AgreementView.from(agreement, inForce, pending, latest);
    });
  }

  private async approvalsOf(manager: EntityManager, versions: AgreementVersion[]): Promise<Map<string, AgreementApproval[]>> {
    const byVersion = new Map<string, AgreementApproval[]>();
    if (versions.length === 0) return byVersion;
    const approvals = await manager.find(AgreementApproval, {
      where: { versionId: In(versions.map((v) => v.id)) },
      order: { at: 'ASC', id: 'ASC' },
    });
    for (const approval of approvals) {
      let list = byVersion.get(approval.versionId);
      if (!list) byVersion.set(approval.versionId, (list = []));
      list.push(approval);
    }
    return byVersion;
  }
}
