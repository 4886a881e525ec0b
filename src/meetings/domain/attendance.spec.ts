import fc from 'fast-check';
import { seatOf, type AttendanceRecord, type AttendanceStatus } from './attendance.js';

const record = (personId: string, status: AttendanceStatus, delegateFor: string | null = null): AttendanceRecord => ({ personId, status, delegateFor });

describe('the seat of an invited person', () => {
  // Claire stands in for Pierre, the head of sales: both seats are filled.
  const records = [record('claire', 'delegate', 'pierre'), record('maelle', 'present'), record('sofia', 'excused'), record('marc', 'absent')];

  it('counts a delegate as present, and the person they stand in for as represented', () => {
    expect(seatOf('claire', records)).toBe('present');
    expect(seatOf('pierre', records)).toBe('delegated');
  });

  it('tells present, excused and absent apart, and counts someone not on the list absent', () => {
    expect(seatOf('maelle', records)).toBe('present');
    expect(seatOf('sofia', records)).toBe('excused');
    expect(seatOf('marc', records)).toBe('absent');
    expect(seatOf('nadia', records)).toBe('absent');
  });

  it('prefers being represented to being excused', () => {
    expect(seatOf('sofia', [...records, record('nadia', 'delegate', 'sofia')])).toBe('delegated');
  });

  it('counts each invited seat in exactly one part, whatever the list', () => {
    const people = ['a', 'b', 'c', 'd'];
    const anyList = fc.uniqueArray(
      fc.record({
        personId: fc.constantFrom(...people),
        status: fc.constantFrom<AttendanceStatus>('present', 'absent', 'excused', 'delegate'),
        delegateFor: fc.constantFrom(...people),
      }),
      { selector: (r) => r.personId },
    );
    fc.assert(
      fc.property(anyList, (list) => {
        const tally = { present: 0, delegated: 0, excused: 0, absent: 0 };
        for (const person of people) tally[seatOf(person, list)] += 1;
        expect(tally.present + tally.delegated + tally.excused + tally.absent).toBe(people.length);
        // Everyone on the list as present or delegate is counted present.
        expect(tally.present).toBe(list.filter((r) => r.status === 'present' || r.status === 'delegate').length);
      }),
    );
  });
});
