/**
 * Event types are dotted names: "lead.handed_over", "brief.submitted". Events store them and
 * agreements' terms name the types they measure, so both check against this one pattern; it
 * lives here because agreements lie upstream of events.
 */
export const EVENT_TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;
