import { expect } from 'chai';
import { addDays, isDay, mondayOf, periodOf, startOfDay, zonedDays } from '../../core/domain/zoned-days.js';
import { nearestRank, rounded } from '../../core/domain/percentiles.js';

const utc = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe('Days in a time zone', () => {
  it('knows real dates, Mondays and day arithmetic', () => {
    expect(['2024-02-29', '1970-01-01', '2025-12-31'].every(isDay)).to.equal(true);
    expect(['2025-02-29', '2025-13-01', '2025-1-01', 'today', '2025-04-31'].some(isDay)).to.equal(false);
    expect(mondayOf('2025-03-30')).to.equal('2025-03-24');
    expect(mondayOf('2025-03-31')).to.equal('2025-03-31');
    expect(mondayOf('1970-01-01')).to.equal('1969-12-29');
    expect(addDays('2024-02-28', 2)).to.equal('2024-03-01');
  });

  it('starts days at local midnight, across daylight-saving changes and odd offsets', () => {
    // Berlin: 23 hours on the last Sunday of March, 25 on the last of October.
    expect(startOfDay('2025-03-30', 'Europe/Berlin')).to.equal(utc('2025-03-29T23:00:00Z'));
    expect(startOfDay('2025-03-31', 'Europe/Berlin') - startOfDay('2025-03-30', 'Europe/Berlin')).to.equal(23 * HOUR);
    expect(startOfDay('2025-10-27', 'Europe/Berlin') - startOfDay('2025-10-26', 'Europe/Berlin')).to.equal(25 * HOUR);
    expect(startOfDay('2025-03-30', 'Asia/Kathmandu')).to.equal(utc('2025-03-29T18:15:00Z'));
    // Lord Howe moves its clocks by half an hour.
    expect(startOfDay('2025-10-06', 'Australia/Lord_Howe') - startOfDay('2025-10-05', 'Australia/Lord_Howe')).to.equal(23.5 * HOUR);
    // Santiago skips its midnight when summer time starts: the day starts at 01:00 there.
    expect(startOfDay('2025-09-07', 'America/Santiago')).to.equal(utc('2025-09-07T04:00:00Z'));
    expect(startOfDay('2025-09-06', 'America/Santiago')).to.equal(utc('2025-09-06T04:00:00Z'));
  });

  it('lists a range\'s days with the bounds between them, and finds the day of an instant', () => {
    const { days, bounds } = zonedDays('2025-03-29', '2025-03-31', 'Europe/Berlin');
    expect(days).to.deep.equal(['2025-03-29', '2025-03-30', '2025-03-31']);
    expect(bounds.map((b) => new Date(b).toISOString())).to.deep.equal(['2025-03-28T23:00:00.000Z', '2025-03-29T23:00:00.000Z', '2025-03-30T22:00:00.000Z', '2025-03-31T22:00:00.000Z']);
    for (const zone of ['America/Santiago', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/New_York']) {
      const range = zonedDays('2025-01-01', '2025-12-31', zone);
      expect(range.bounds, zone).to.deep.equal([...range.days, '2026-01-01'].map((day) => startOfDay(day, zone)));
    }
    expect(periodOf(utc('2025-03-30T21:59:59Z'), bounds)).to.equal(1);
    expect(periodOf(utc('2025-03-30T22:00:00Z'), bounds)).to.equal(2);
    expect(periodOf(utc('2025-03-31T22:00:00Z'), bounds)).to.equal(-1);
  });

  it('takes percentiles by nearest rank', () => {
    expect(nearestRank([1, 2, 3, 4], 50)).to.equal(2);
    expect(nearestRank([1, 2, 3, 4], 85)).to.equal(4);
    expect(nearestRank([7], 95)).to.equal(7);
    expect(nearestRank([], 50)).to.equal(null);
    expect(rounded(1.005, 2)).to.equal(1.01);
    expect(rounded(129.5, 2)).to.equal(129.5);
  });
});
