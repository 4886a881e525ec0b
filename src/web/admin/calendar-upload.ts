import { WEEKDAYS, type Weekday } from '../../calendars/business-time/index.js';
import { DatesImportQuery, type DatesImportFormat, type DatesImportView } from '../../calendars/calendars.dto.js';
import { DATES_IMPORT_MEDIA_TYPES, decodeDatesImport } from '../../calendars/dates-import-body.js';
import { fieldErrors, InvalidInputError, TooLargeError, type FieldErrors } from '../../common/errors.js';
import { asRecord, formErrorsOf, statusOf, text, validated } from '../forms.js';
import type { Option } from './admin-forms.js';
import { inEnglish, type Say } from '../say.js';
import { weekdayName } from './calendar-form.js';

/**
 * The admin calendar page's upload of dated hours (a year of an xmlcalendar production calendar,
 * or CSV rows date,hours): read from the multipart post that CalendarUploadMiddleware parsed,
 * then handed to the very service method the API's POST /api/calendars/:id/dates/import calls.
 */

/** The file as multer keeps it in memory. */
export interface UploadedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** A page request once the upload middleware ran: the file, or why the upload could not be read. */
export interface UploadFields {
  file?: UploadedFile;
  uploadProblem?: { status: number; message: string };
}

/** The weekdays a working weekend date may take its hours from, Monday first (the default). */
export function workdayOptions(say: Say = inEnglish): Option[] {
  return WEEKDAYS.map((day) => ({ value: day, label: weekdayName(day, say) }));
}

/** Problems of a refused file shown under the file field; past this many, one line counts the rest. */
const SHOWN_PROBLEMS = 10;

/**
 * The format of an uploaded file: by its name (.xml, .csv), else by the type the browser gave,
 * else by its first character (an XML file starts with "<"); browsers name CSV files in odd ways
 * (application/vnd.ms-excel on Windows).
 */
export function uploadFormat(fileName: string, mimeType: string, content: string): DatesImportFormat {
  const extension = /\.([A-Za-z]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'xml' || extension === 'csv') return extension;
  return DATES_IMPORT_MEDIA_TYPES[mimeType.toLowerCase()] ?? (content.trimStart().startsWith('<') ? 'xml' : 'csv');
}

/**
 * What the service is given: the file's text and format, and the weekday working weekend dates
 * take their hours from (checked by the API's own query DTO, so the same words refuse it).
 */
export async function readDatesUpload(upload: UploadFields, body: unknown): Promise<{ text: string; format: DatesImportFormat; workdayAs?: Weekday }> {
  const { workdayAs } = await validated(DatesImportQuery, { workdayAs: text(asRecord(body).workdayAs) });
  if (upload.uploadProblem) {
    const { status, message } = upload.uploadProblem;
    if (status === 413) throw new TooLargeError('file', inEnglish('validation.uploadTooLarge', { message }));
    throw InvalidInputError.of('file', inEnglish('validation.uploadUnreadable', { message }));
  }
  if (!upload.file || upload.file.size === 0) throw InvalidInputError.of('file', inEnglish('validation.uploadChooseFile'));
  const content = decodeDatesImport(upload.file.buffer, 'file');
  return { text: content, format: uploadFormat(upload.file.originalname, upload.file.mimetype, content), workdayAs };
}

/** The upload form's values as posted, to show again when it is refused. */
export function uploadValuesOf(body: unknown): { workdayAs: string } {
  return { workdayAs: text(asRecord(body).workdayAs) ?? 'mon' };
}

/**
 * A refused import as the page shows it, with the status the API would answer: the file's
 * problems (`line 14`, `body`) under the file field, at most SHOWN_PROBLEMS of them; `workdayAs`
 * and a message for the whole form stay. Errors no form shows (a 403) are rethrown.
 */
export function importRefusalForForm(error: unknown): { errors: FieldErrors; status: number } {
  if (error instanceof TooLargeError) return { errors: importErrorsForForm(error.fields ?? {}), status: 413 };
  return { errors: importErrorsForForm(formErrorsOf(error)), status: statusOf(error) };
}

/** In English, as the API writes its problems; the page shows them in the reader's language, each translated (i18n/field-messages.ts). */
export function importErrorsForForm(errors: FieldErrors): FieldErrors {
  const shown = fieldErrors();
  const fileProblems: string[] = [];
  for (const [path, messages] of Object.entries(errors)) {
    if (path === 'workdayAs' || path === 'form') shown[path] = messages;
    else fileProblems.push(...messages);
  }
  if (fileProblems.length > SHOWN_PROBLEMS) {
    const more = fileProblems.length - SHOWN_PROBLEMS;
    fileProblems.splice(SHOWN_PROBLEMS, more, inEnglish('validation.uploadMore', { more }));
  }
  if (fileProblems.length > 0) shown.file = [inEnglish('validation.nothingImported', { problems: fileProblems.join('; ') })];
  return shown;
}

/** The summary shown once an import is saved, e.g. "Imported 2027: 19 days closed, 5 shortened, 1 working weekend day." */
export function importNotice(summary: DatesImportView, say: Say = inEnglish): string {
  const counts = { closed: summary.closed, shortened: summary.shortened, working: summary.working };
  const imported = summary.year === null || summary.year === undefined ? say('admin.calendar.importedDates', counts) : say('admin.calendar.importedYear', { ...counts, year: String(summary.year) });
  return summary.keptAsHolidays?.length ? say('admin.calendar.importedKept', { imported, dates: summary.keptAsHolidays.join(', ') }) : imported;
}
