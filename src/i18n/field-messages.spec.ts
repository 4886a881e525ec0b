import { getMetadataStorage, type ValidationArguments } from 'class-validator';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from '../app.module.js';
import { fieldMessagesOf, ruleOf } from './field-messages.js';
import { LOCALES } from './locales.js';
import { Translator } from './translator.js';

/**
 * Every message a DTO's constraint can put under a field, as class-validator writes it: its own
 * message, or the constraint's default ("name must be a UUID", "each value in ids must be …"),
 * with the constraint's arguments in place and the property named. AppModule is imported so
 * every DTO of every module is in class-validator's storage.
 */
function everyDtoMessage(): { where: string; message: string }[] {
  void AppModule;
  const storage = getMetadataStorage();
  const byTarget = (storage as unknown as { validationMetadatas: Map<Function, { type: string; propertyName: string; constraints?: unknown[]; constraintCls?: Function; message?: string | ((args: ValidationArguments) => string) }[]> }).validationMetadatas;
  const found: { where: string; message: string }[] = [];
  for (const [target, metadatas] of byTarget) {
    for (const metadata of metadatas) {
      if (metadata.type !== 'customValidation') continue; // nested, conditional, whitelist: no message of their own
      if (target.name === 'AppConfig') continue; // the environment's errors stop the start, for the operator, in English
      // A default message may depend on the value (Length: too short, too long): try one of each.
      for (const value of [undefined, 'x', 'x'.repeat(2_000_000)]) {
        const args: ValidationArguments = { value, constraints: metadata.constraints ?? [], targetName: target.name, object: {}, property: metadata.propertyName };
        let message = metadata.message;
        if (!message && metadata.constraintCls) {
          const instance = storage.getTargetValidatorConstraints(metadata.constraintCls)[0]?.instance as { defaultMessage?: (args: ValidationArguments) => string } | undefined;
          message = instance?.defaultMessage?.(args);
        }
        let text = typeof message === 'function' ? message(args) : (message ?? '');
        args.constraints.forEach((constraint, index) => {
          text = text.replace(new RegExp(`\\$constraint${index + 1}`, 'g'), Array.isArray(constraint) ? constraint.join(', ') : String(constraint));
        });
        text = text.replace(/\$property/g, metadata.propertyName).replace(/\$target/g, target.name);
        found.push({ where: `${target.name}.${metadata.propertyName}`, message: text });
      }
    }
  }
  return found;
}

/**
 * The field messages written by hand in services and domain functions, read from the source: the
 * text given to `InvalidInputError.of`, put in a field's list, or a problem's `message` (which the
 * code prefixes with the field's path). Each `${…}` becomes "7", a value any argument takes.
 * Messages only the API answers (events, CRM deliveries) are included: a page may show them too.
 */
const SOURCE_PATTERNS: { pattern: RegExp; prefix: string }[] = (() => {
  const literal = String.raw`('(?:[^'\\\n]|\\.)*'|\`(?:[^\`\\]|\\.)*\`|"(?:[^"\\\n]|\\.)*")`;
  return [
    { pattern: new RegExp(String.raw`\{\s*(?:line[^,]*,\s*)?(?:date[^,]*,\s*)?path[^,}]*,\s*message:\s*` + literal, 'g'), prefix: 'field ' },
    // An import's problems are named by their line: "line 3 (2026-01-01): the date is given twice …".
    { pattern: new RegExp(String.raw`problems\.push\(\{\s*(?:line[^,]*,\s*)?(?:date[^,]*,\s*)?message:\s*` + literal, 'g'), prefix: 'line 7: ' },
    { pattern: new RegExp(String.raw`DurationError\(` + literal, 'g'), prefix: 'field ' },
    { pattern: new RegExp(String.raw`[{,]\s*problem:\s*` + literal, 'g'), prefix: 'field ' },
    { pattern: new RegExp(String.raw`fail\([^,]+,\s*` + literal, 'g'), prefix: 'field ' },
    { pattern: new RegExp(String.raw`InvalidInputError\.of\([^,]+,\s*` + literal, 'g'), prefix: '' },
    { pattern: new RegExp(String.raw`\]\s*=\s*\[\s*` + literal + String.raw`\s*\]`, 'g'), prefix: '' },
    { pattern: new RegExp(String.raw`\.push\(` + literal + String.raw`\)`, 'g'), prefix: '' },
    // Refusals a form shows above its fields (409, 413): the error summary's `form` line.
    { pattern: new RegExp(String.raw`new (?:ConflictError|TooLargeError)\(\s*(?:'[^']*',\s*)?` + literal, 'g'), prefix: '' },
  ];
})();

/** Not field messages, or made of other messages (each part is matched on its own). */
const NOT_FIELD_MESSAGES = /repository\.ts$|\/meetings\/calendar\/|\/adapters\/|\/cli\/|form-fields\.ts$|\/config\//;

/**
 * A field's path or a fixed lead-in before a text written elsewhere, each matched where it is
 * written (the durations', the hostile input's, measureFrom's problems); or a library's own
 * English (rrule, the schedule's parser), which no catalogue can know and which pages show as it is.
 */
const COMPOSED: RegExp[] = [
  /^7; change it \(PATCH\) and propose again$/, // measureFromProblem + advice: both have entries
  /^measureFrom applies only to an agreement's first version/, // two literals joined: validation.measureFromFirstVersion
  /^content\.7 is required to submit: 7$/, // one entry per field: validation.briefRequires*
  /^the file 7$/, /^the field name 7$/, /^settings\.7 7$/, /^(response\.targets\[7\]|conversion)\.within 7$/,
  /^(rrule|schedule): 7$/, // a library's message
  /^the import is larger than IMPORT_MAX_BYTES \(7 bytes\): it stopped before line 7; $/, // two literals joined: validation.eventImportStopped
  /^the file is 7 than the 7 bytes/, // "larger" or "N bytes, larger": validation.importFileTooLarge and …Sized
];

function handWrittenMessages(): { where: string; message: string }[] {
  const root = join(process.cwd(), 'src');
  const found: { where: string; message: string }[] = [];
  for (const file of readdirSync(root, { recursive: true }) as string[]) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts') || NOT_FIELD_MESSAGES.test(`/${file}`)) continue;
    const source = readFileSync(join(root, file), 'utf8');
    for (const { pattern, prefix } of SOURCE_PATTERNS) {
      for (const match of source.matchAll(pattern)) {
        const text = match[1].slice(1, -1).replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, '7').replace(/\\(["'`\\])/g, '$1');
        // Wholly made of other texts ("${path} ${message}"): those are matched where they are written.
        if (!/[a-z]{2}/i.test(text.replace(/7/g, '')) || !text.includes(' ')) continue;
        if (COMPOSED.some((composed) => composed.test(text))) continue;
        found.push({ where: file, message: prefix + text });
      }
    }
  }
  return found;
}

describe('field messages in the reader\'s language', () => {
  const translator = new Translator(undefined, 'throw');
  const messages = fieldMessagesOf(translator);

  it('knows every message a DTO constraint can write', () => {
    const all = everyDtoMessage();
    expect(all.length).toBeGreaterThan(200);
    const unmatched = [...new Set(all.filter(({ message }) => !messages.match(message)).map(({ where, message }) => `${where}: ${message}`))];
    expect(unmatched).toEqual([]);
  });

  it('knows every message written by hand in services and domain functions', () => {
    const all = handWrittenMessages();
    expect(all.length).toBeGreaterThan(100);
    const unmatched = [...new Set(all.filter(({ message }) => !messages.match(message)).map(({ where, message }) => `${where}: ${message}`))];
    expect(unmatched).toEqual([]);
  });
});
