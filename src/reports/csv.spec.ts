import { csvCell, toCsv } from './csv.js';
import { textColumns, wrapText } from './breach-report.view.js';

describe('CSV for spreadsheets', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(['=1+1', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx'].map(csvCell)).toEqual(["'=1+1", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", `"'\rx"`]);
    expect(csvCell('a-b')).toBe('a-b');
  });

  it('quotes as RFC 4180 says, ends lines with CRLF and leaves null empty', () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(toCsv(['a', 'b'], [[null, 3], [true, 'x']])).toBe('\uFEFFa,b\r\n,3\r\ntrue,x\r\n');
  });
});

describe('plain-text layout', () => {
  it('aligns columns, numbers to the right', () => {
    expect(textColumns([['Owner', 'Breaches'], ['Sofia', '12']], [1])).toEqual(['Owner   Breaches', 'Sofia         12']);
  });

  it('wraps long explanations under their first word', () => {
    expect(wrapText('one two three four', 12, 4)).toBe('one two\n    three\n    four');
  });
});
