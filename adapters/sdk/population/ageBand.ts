/**
 * Five-year age band at a date (`0-4`, `5-9`, … `80-84`, `85+`), the grouping of the WHO and of the
 * General Statistics Office's population tables. A birth date known only as a year (QĐ 130 writes
 * `0000` for unknown day and month) counts as 1 July of that year. Null when either date is missing
 * or the birth is after the date.
 */
export function ageBand(birthDate: string | null, on: string | null): string | null {
  if (birthDate === null || on === null) return null;
  const birth = /^(\d{4})(?:-(\d{2})-(\d{2}))?$/.exec(birthDate);
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(on);
  if (!birth || !day) return null;
  const [birthMonth, birthDay] = birth[2] === undefined ? [7, 1] : [Number(birth[2]), Number(birth[3])];
  const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
  const age = year - Number(birth[1]) - (month < birthMonth || (month === birthMonth && date < birthDay) ? 1 : 0);
  if (age < 0) return null;
  if (age >= 85) return '85+';
  const low = Math.floor(age / 5) * 5;
  return `${low}-${low + 4}`;
}
