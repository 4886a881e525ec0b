/**
 * The agreements a head of sales lives with, besides "Hot leads are called fast": the other 19 of
 * the reads benchmark's dashboard of a head with 20 agreements — response times along the funnel
 * and per source, marketing's quotas of MQLs (in all, per source, per week) and sales' of SQLs, and
 * the conversion KPIs both departments share. All between Marketing and Sales, so all concern both
 * heads; all measure the benchmark's events from `measureFrom`, so their cards show months of
 * figures. Minimums are scaled with the events so that a quick trial at a tenth of the size
 * promises a tenth as much.
 */
import type { Org } from './concord.js';

/** The default funnel's stage ids by name (MQL, SAL, SQL, Won, …). */
export type StageIds = Record<string, string>;

export function headAgreements(options: { org: Org; alwaysOpen: string; parisOffice: string; stages: StageIds; measureFrom: string; scale: number }): object[] {
  const { org, alwaysOpen, parisOffice, stages, measureFrom, scale } = options;
  const minimum = (perMillionEvents: number) => Math.max(1, Math.round(perMillionEvents * scale));
  const bySales = { providerDepartmentId: org.salesId, consumerDepartmentId: org.marketingId };
  const byMarketing = { providerDepartmentId: org.marketingId, consumerDepartmentId: org.salesId };
  const stage = (name: string) => {
    const id = stages[name];
    if (!id) throw new Error(`no stage ${name} in the funnel`);
    return id;
  };
  const response = (name: string, terms: object) => ({ name, ...bySales, calendarId: alwaysOpen, measureFrom, response: { goalPercent: 90, warnAtPercent: 75, ...terms } });
  const quota = (name: string, parties: object, terms: object) => ({ name, ...parties, calendarId: parisOffice, measureFrom, quota: terms });
  const conversion = (name: string, parties: object, terms: object) => ({ name, ...parties, calendarId: parisOffice, measureFrom, conversion: terms });
  const sourceQuotas: [string, string, number][] = [
    ['Webinars', 'webinar', 1400],
    ['Trade shows', 'trade-show', 1200],
    ['The website', 'website', 1700],
    ['Partners', 'partner', 900],
    ['Outbound campaigns', 'outbound', 1100],
    ['Content', 'content', 1400],
  ];
  return [
    response('MQLs are accepted within two days', {
      startOn: { type: 'lead.mql' },
      stopOn: { type: 'lead.accepted' },
      cancelOn: { type: 'lead.recycled' },
      targets: [{ within: 'P2D' }],
    }),
    response('Accepted leads are qualified within three weeks', {
      startOn: { type: 'lead.accepted' },
      stopOn: { type: 'lead.sql' },
      cancelOn: { type: 'lead.recycled' },
      targets: [{ within: 'P21D' }],
    }),
    response('Leads on hold are called back within a week', {
      startOn: { type: 'lead.on_hold' },
      stopOn: { type: 'lead.resumed' },
      targets: [{ within: 'P7D' }],
    }),
    response('Trade-show leads are called within the hour', {
      startOn: { type: 'lead.handed_over', when: { source: 'trade-show' } },
      stopOn: { type: 'lead.contacted' },
      targets: [{ when: { score: 'hot' }, within: 'PT1H' }, { within: 'PT4H' }],
    }),
    response('Partner leads are called within four hours', {
      startOn: { type: 'lead.handed_over', when: { source: 'partner' } },
      stopOn: { type: 'lead.contacted' },
      targets: [{ within: 'PT4H' }],
    }),
    response('Website leads are called the same day', {
      startOn: { type: 'lead.handed_over', when: { source: 'website' } },
      stopOn: { type: 'lead.contacted' },
      targets: [{ within: 'PT8H' }],
    }),
    quota('Marketing delivers qualified leads', byMarketing, { countOn: { type: 'lead.mql', when: { region: 'EU' } }, period: 'month', minimum: minimum(6000) }),
    quota('Marketing delivers MQLs every week', byMarketing, { countOn: { type: 'lead.mql' }, period: 'week', minimum: minimum(1800) }),
    ...sourceQuotas.map(([label, source, perMonth]) =>
      quota(`${label} deliver MQLs`, byMarketing, { countOn: { type: 'lead.mql', when: { source } }, period: 'month', minimum: minimum(perMonth) }),
    ),
    quota('Sales qualifies SQLs every quarter', bySales, { countOn: { type: 'lead.sql' }, period: 'quarter', minimum: minimum(6000) }),
    conversion('MQLs become SQLs', byMarketing, { fromStageId: stage('MQL'), toStageId: stage('SQL'), within: 'P10D', period: 'month', minimumPercent: 25 }),
    conversion('MQLs are accepted by sales', bySales, { fromStageId: stage('MQL'), toStageId: stage('SAL'), within: 'P5D', period: 'month', minimumPercent: 35 }),
    conversion('Accepted leads become SQLs', bySales, { fromStageId: stage('SAL'), toStageId: stage('SQL'), within: 'P15D', period: 'month', minimumPercent: 55 }),
    conversion('SQLs are won', bySales, { fromStageId: stage('SQL'), toStageId: stage('Won'), within: 'P40D', period: 'quarter', minimumPercent: 25 }),
  ];
}
