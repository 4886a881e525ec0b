import { ForbiddenError, InvalidInputError, TooLargeError } from '../../common/errors.js';
import { importErrorsForForm, importNotice, importRefusalForForm, readDatesUpload, uploadFormat, uploadValuesOf } from './calendar-upload.js';

const file = (content: string | Buffer, originalname = 'ru-2027.xml', mimetype = 'text/xml') => {
  const buffer = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return { originalname, mimetype, buffer, size: buffer.length };
};

describe('uploadFormat', () => {
  it('tells the format by the name, else the type the browser gave, else the first character', () => {
    expect(uploadFormat('calendar.XML', 'application/octet-stream', 'x')).toBe('xml');
    expect(uploadFormat('dates.csv', 'application/vnd.ms-excel', '<')).toBe('csv');
    expect(uploadFormat('calendar', 'application/xml', '2027-05-15,')).toBe('xml');
    expect(uploadFormat('calendar', 'text/csv', '<calendar')).toBe('csv');
    expect(uploadFormat('calendar.txt', 'text/plain', '\n  <calendar year="2027">')).toBe('xml');
    expect(uploadFormat('calendar.txt', 'text/plain', '2027-05-15,09:00-18:00')).toBe('csv');
  });
});

describe('readDatesUpload', () => {
  it('reads the file as UTF-8 text with its format and the weekday working weekend dates take', async () => {
    expect(await readDatesUpload({ file: file('\uFEFF<calendar year="2027"/>') }, { workdayAs: 'tue' })).toEqual({ text: '<calendar year="2027"/>', format: 'xml', workdayAs: 'tue' });
    expect(await readDatesUpload({ file: file('2027-05-15,', 'dates.csv', 'text/csv') }, { workdayAs: '' })).toEqual({ text: '2027-05-15,', format: 'csv', workdayAs: undefined });
  });

  it('names the file field for no file, an unreadable or refused upload, and workdayAs for an unknown weekday', async () => {
    const refusal = async (upload: Parameters<typeof readDatesUpload>[0], body: unknown = {}) => {
      try {
        await readDatesUpload(upload, body);
      } catch (error) {
        return { type: (error as Error).constructor.name, fields: (error as InvalidInputError).fields };
      }
      throw new Error('accepted');
    };
    expect(await refusal({})).toEqual({ type: 'InvalidInputError', fields: { file: [expect.stringMatching(/^choose a file to import/)] } });
    expect(await refusal({ file: file('') })).toEqual({ type: 'InvalidInputError', fields: { file: [expect.stringMatching(/^choose a file/)] } });
    expect(await refusal({ file: file(Buffer.from([0xff, 0xfe, 0x00])) })).toEqual({ type: 'InvalidInputError', fields: { file: ['the file is not UTF-8 text'] } });
    expect(await refusal({ file: file('a\u0000b') })).toEqual({ type: 'InvalidInputError', fields: { file: [expect.stringMatching(/NUL/)] } });
    expect(await refusal({ uploadProblem: { status: 413, message: 'File too large' } })).toEqual({ type: 'TooLargeError', fields: { file: [expect.stringMatching(/larger than/)] } });
    expect(await refusal({ uploadProblem: { status: 400, message: 'Unexpected file field' } })).toEqual({ type: 'InvalidInputError', fields: { file: ['the upload could not be read: Unexpected file field'] } });
    expect(await refusal({ file: file('<calendar/>') }, { workdayAs: 'funday' })).toEqual({ type: 'InvalidInputError', fields: { workdayAs: [expect.stringMatching(/workdayAs must be a weekday/)] } });
  });
});

describe('a refused import on the page', () => {
  it('puts the problems of the file under the file field, at most ten, and keeps workdayAs and the form message', () => {
    const lines = Object.fromEntries(Array.from({ length: 12 }, (_, k) => [`line ${k + 1}`, [`line ${k + 1}: bad`]]));
    expect(importErrorsForForm({ ...lines, workdayAs: ['workdayAs must be a weekday'] })).toEqual({
      file: [`Nothing was imported: ${Array.from({ length: 10 }, (_, k) => `line ${k + 1}: bad`).join('; ')}; and 2 more`],
      workdayAs: ['workdayAs must be a weekday'],
    });
    expect(importErrorsForForm({ form: ['calendar x does not exist'] })).toEqual({ form: ['calendar x does not exist'] });
  });

  it('answers with the status of the API: 400, 413; anything a form does not show is rethrown', () => {
    expect(importRefusalForForm(InvalidInputError.of('line 3', 'line 3: bad'))).toEqual({ errors: { file: ['Nothing was imported: line 3: bad'] }, status: 400 });
    expect(importRefusalForForm(new TooLargeError('file', 'too large'))).toEqual({ errors: { file: ['Nothing was imported: too large'] }, status: 413 });
    expect(() => importRefusalForForm(new ForbiddenError('no'))).toThrow(ForbiddenError);
  });

  it('shows the weekday chosen again', () => {
    expect(uploadValuesOf({ workdayAs: 'tue' })).toEqual({ workdayAs: 'tue' });
    expect(uploadValuesOf(undefined)).toEqual({ workdayAs: 'mon' });
  });
});

describe('importNotice', () => {
  it('sums up what the import did, and names the dates kept as holidays', () => {
    expect(importNotice({ year: 2027, closed: 19, shortened: 5, working: 1 })).toBe('Imported 2027: 19 days closed, 5 shortened, 1 working day.');
    expect(importNotice({ year: null, closed: 1, shortened: 0, working: 2, keptAsHolidays: ['2027-12-31'] })).toBe(
      'Imported dated hours: 1 day closed, 0 shortened, 2 working days. Kept as holidays (they are in Closed dates): 2027-12-31.',
    );
  });
});
