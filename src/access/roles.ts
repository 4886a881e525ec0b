/** What a person is in Concord: admins manage it, a head runs a department, members take part. */
export const ROLES = ['admin', 'head', 'member'] as const;
export type Role = (typeof ROLES)[number];
