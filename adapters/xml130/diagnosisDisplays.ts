import { splitQd130List } from './qd130Formats';

/**
 * Display texts for the ICD-10 codes of an episode, taken from the free-text discharge diagnosis
 * CHAN_DOAN_RV (XML1 field 26; QĐ 4210 TEN_BENH), which XML1 does not tie to the codes. Used only
 * where the text says which code it describes:
 * - when parts (`;`-separated) start with a code (`J18.9 - Viêm phổi`), those parts describe their
 *   codes and nothing else is guessed;
 * - otherwise parts and codes pair up in order when they are equally many;
 * - a single code gets the whole text;
 * - else the first part describes the main diagnosis (the discharge diagnosis names it first).
 * Codes the text does not clearly describe get null.
 */
export function diagnosisDisplays(codes: readonly string[], chanDoanRv: string | null): (string | null)[] {
  const displays: (string | null)[] = codes.map(() => null);
  const parts = splitQd130List(chanDoanRv);
  if (parts.length === 0 || codes.length === 0) return displays;
  let prefixed = false;
  for (const part of parts) {
    const index = codes.findIndex((code, i) => displays[i] === null && startsWithCode(part, code));
    if (index < 0) continue;
    prefixed = true;
    displays[index] = part.slice(codes[index]?.length ?? 0).replace(/^[\s:\-–)]+/, '').trim() || null;
  }
  if (prefixed) return displays;
  if (parts.length === codes.length) return [...parts];
  if (codes.length === 1) return [parts.join('; ')];
  displays[0] = parts[0] ?? null;
  return displays;
}

function startsWithCode(part: string, code: string): boolean {
  if (!part.toUpperCase().startsWith(code.toUpperCase())) return false;
  const next = part.charAt(code.length);
  return next === '' || /[\s:\-–)]/.test(next);
}
