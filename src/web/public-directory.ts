import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The public/ folder at the root of the project (stylesheet, scripts), found from src/ or dist/src/. */
export function publicDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(directory, 'public');
    if (existsSync(join(candidate, 'concord.css'))) return candidate;
    directory = resolve(directory, '..');
  }
  throw new Error('public/ folder not found');
}
