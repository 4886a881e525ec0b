/**
 * Event types are dotted names: "lead.handed_over", "brief.submitted". Events own the shape;
 * agreements' terms (which name the types they measure) check against the same pattern.
 */
export const EVENT_TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;
