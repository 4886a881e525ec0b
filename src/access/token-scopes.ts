/** `full`: everything the person's role allows; `events:write`: an integration that only sends events. */
export const TOKEN_SCOPES = ['full', 'events:write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
