import { formatWorkingTime, latenessPhrase, stopWord } from './lateness.js';

describe('lateness in words', () => {
  it.each([
    [0, 'under a minute'],
    [59, 'under a minute'],
    [60, '1 min'],
    [20 * 60 + 59, '20 min'],
    [3600, '1 h'],
    [3 * 3600 + 20 * 60, '3 h 20'],
    [3 * 3600 + 5 * 60, '3 h 05'],
    [27 * 3600 + 60, '27 h 01'],
    [-30, 'under a minute'],
  ])('%i working seconds read "%s"', (seconds, words) => {
    expect(formatWorkingTime(seconds)).toBe(words);
  });

  it('names what was not done from the stop event type', () => {
    expect(stopWord('lead.contacted')).toBe('contacted');
    expect(stopWord('brief.first_reply')).toBe('first reply');
    expect(stopWord('answered')).toBe('answered');
  });

  it('says how late an open, a stopped and a cancelled request is', () => {
    expect(latenessPhrase('open', 'lead.contacted', 3 * 3600 + 20 * 60)).toBe('still not contacted, 3 h 20 of working time late');
    expect(latenessPhrase('open', 'lead.contacted', 20)).toBe('still not contacted, under a minute of working time late');
    expect(latenessPhrase('stopped', 'lead.contacted', 75 * 60)).toBe('contacted 1 h 15 of working time late');
    expect(latenessPhrase('cancelled', 'lead.contacted', 600)).toBe('cancelled when 10 min of working time late');
  });
});
