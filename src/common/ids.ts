import { v7 } from 'uuid';

/**
 * A new id: a UUID version 7, which sorts by creation time. Events rely on it: two events of one
 * subject at the same instant are taken in the order they arrived.
 */
export function newId(): string {
  return v7();
}
