import { readFileSync } from 'node:fs';

/**
 * The examples README shows, read back so a test can run each one. A fenced block or a table is
 * claimed by the HTML comment on the line before it (`<!-- example: name -->`, invisible once
 * rendered); `<!-- not-an-example: why -->` marks a block that shows no behaviour (a folder
 * tree). An inline request with a body (`POST /api/x { … }`) is an example by its form.
 */
export interface ReadmeBlock {
  /** 1-based line of the opening fence (or of a table's header). */
  line: number;
  /** `example` names the case that runs it; `ignored` says why nothing runs. */
  marker: { kind: 'example'; name: string } | { kind: 'ignored'; reason: string } | null;
  language: string;
  text: string;
}

export interface ReadmeRequest {
  line: number;
  method: string;
  path: string;
  body: string;
}

const MARKER = /^<!--\s*(example|not-an-example):\s*(.+?)\s*-->$/;

function markerBefore(lines: string[], index: number): ReadmeBlock['marker'] {
  for (let i = index - 1; i >= 0; i -= 1) {
    const text = lines[i].trim();
    if (text === '') continue;
    const match = MARKER.exec(text);
    if (!match) return null;
    return match[1] === 'example' ? { kind: 'example', name: match[2] } : { kind: 'ignored', reason: match[2] };
  }
  return null;
}

/** Fenced blocks and marked tables, in the order README shows them. */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const fence = /^```(\S*)\s*$/.exec(lines[i]);
    if (fence) {
      const start = i;
      const body: string[] = [];
      for (i += 1; i < lines.length && !/^```\s*$/.test(lines[i]); i += 1) body.push(lines[i]);
      blocks.push({ line: start + 1, marker: markerBefore(lines, start), language: fence[1], text: body.join('\n') });
      continue;
    }
    // A table is an example only when marked (most tables describe settings, not behaviour).
    if (lines[i].startsWith('|') && (i === 0 || !lines[i - 1].startsWith('|'))) {
      const marker = markerBefore(lines, i);
      if (marker?.kind !== 'example') continue;
      const start = i;
      const rows: string[] = [];
      for (; i < lines.length && lines[i].startsWith('|'); i += 1) rows.push(lines[i]);
      blocks.push({ line: start + 1, marker, language: 'table', text: rows.join('\n') });
    }
  }
  return blocks;
}

/** Inline requests with a body, such as `PATCH /api/people/:id {"active": false}`. */
export function readmeInlineRequests(markdown: string): ReadmeRequest[] {
  const requests: ReadmeRequest[] = [];
  const pattern = /`(GET|POST|PUT|PATCH|DELETE)\s+(\/api\/[^\s`]+)\s+(\{[^`]*\})`/g;
  for (const match of markdown.matchAll(pattern)) {
    const line = markdown.slice(0, match.index).split('\n').length;
    requests.push({ line, method: match[1], path: match[2], body: match[3].replace(/\s+/g, ' ') });
  }
  return requests;
}

/** A curl command line as README writes it, continued lines joined. */
export interface CurlRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  /** `-d '…'`: the text; `--data-binary @file`: the file name. */
  data?: { text?: string; file?: string };
}

/** Splits a shell command into words, honouring single and double quotes (no expansions). */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  let started = false;
  for (const char of command) {
    if (quote) {
      if (char === quote) quote = null;
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started || word) words.push(word);
      word = '';
      started = false;
    } else {
      word += char;
    }
  }
  if (started || word) words.push(word);
  return words;
}

/** The commands of a shell script: continued lines joined, comments dropped, quotes kept whole. */
export function shellCommands(script: string): string[] {
  const commands: string[] = [];
  let command = '';
  let quote: string | null = null;
  for (let i = 0; i < script.length; i += 1) {
    const char = script[i];
    if (quote) {
      if (char === quote) quote = null;
      command += char;
    } else if (char === '\\' && script[i + 1] === '\n') {
      command += ' ';
      i += 1;
    } else if (char === "'" || char === '"') {
      quote = char;
      command += char;
    } else if (char === '#' && (command === '' || /\s$/.test(command))) {
      while (i + 1 < script.length && script[i + 1] !== '\n') i += 1;
    } else if (char === '\n') {
      if (command.trim()) commands.push(command.trim());
      command = '';
    } else {
      command += char;
    }
  }
  if (command.trim()) commands.push(command.trim());
  return commands;
}

/** The words of one command (for `VAR=value` assignments and options). */
export function commandWords(command: string): string[] {
  return shellWords(command);
}

/** The curl commands of a bash block. */
export function curlRequests(script: string): CurlRequest[] {
  const requests: CurlRequest[] = [];
  for (const line of shellCommands(script)) {
    if (!line.startsWith('curl ')) continue;
    const words = shellWords(line).slice(1);
    const request: CurlRequest = { method: 'GET', path: '', query: '', headers: {} };
    for (let i = 0; i < words.length; i += 1) {
      const word = words[i];
      if (word === '-X') request.method = words[++i];
      else if (word === '-H') {
        const [name, ...value] = words[++i].split(':');
        request.headers[name.trim().toLowerCase()] = value.join(':').trim();
      } else if (word === '-d' || word === '--data') {
        request.data = { text: words[++i] };
        if (request.method === 'GET') request.method = 'POST';
      } else if (word === '--data-binary') {
        const value = words[++i];
        request.data = value.startsWith('@') ? { file: value.slice(1) } : { text: value };
        if (request.method === 'GET') request.method = 'POST';
      } else if (!word.startsWith('-')) {
        const url = new URL(word.includes('://') ? word : `http://${word}`);
        request.path = url.pathname;
        request.query = url.search;
      }
    }
    requests.push(request);
  }
  return requests;
}

export function readReadme(): string {
  return readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
}
