import { describe, expect, it } from 'vitest';
import { programmeCsv, programmeJson } from '../../src/programme/downloads.js';
import { programmeFigures, programmeGroupOf } from '../../src/programme/figures.js';
import { makeGroup } from '../support/groups.js';

describe('programme downloads', () => {
  it('quotes names a spreadsheet would misread or run as a formula', () => {
    const figures = programmeFigures([makeGroup({ name: '=HYPERLINK("x")', animateurName: 'Dupont, "Jo"' })].map(programmeGroupOf));
    const [header, group, programme] = programmeCsv(figures).split('\r\n');
    expect(header!.split(',')).toHaveLength(23);
    expect(group).toContain(`,"'=HYPERLINK(""x"")",teams,"Dupont, ""Jo""",6,6,6,0,0,6,2027-01-14T14:00,true,0,0,0,,,,,,,`);
    expect(programme).toBe('programme,,,,,6,,6,0,0,6,,,0,0,0,,,,,,,');
  });

  it('carries the page’s figures in JSON, with the threshold they follow', () => {
    const figures = programmeFigures([makeGroup()].map(programmeGroupOf));
    const json = programmeJson(figures, new Date('2027-01-01T00:00:00Z'));
    expect(json).toMatchObject({ generatedAt: '2027-01-01T00:00:00.000Z', minEvaluationsShown: 3, totals: { groups: 1, members: 6 } });
    expect(JSON.stringify(json)).not.toContain('Absentéisme');
  });
});
