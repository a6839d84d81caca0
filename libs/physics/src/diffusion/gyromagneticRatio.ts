/**
 * Gyromagnetic ratios γ (rad s⁻¹ T⁻¹) of the nuclei people measure by NMR, and a lookup by TopSpin's NUC1 spelling.
 *
 * Source: IUPAC recommendations 2001, R. K. Harris, E. D. Becker, S. M. Cabral de Menezes, R. Goodfellow,
 * P. Granger, "NMR nomenclature. Nuclear spin properties and conventions for chemical shifts", Pure Appl. Chem. 73
 * (2001) 1795, Table 1 (γ in 10⁷ rad s⁻¹ T⁻¹, from the nuclear magnetic moments: bare nuclei, no shielding), except
 * ¹H, taken as CODATA 2018 (2.6752218744e8, the same to 7 digits) so it equals `GAMMA_1H`. Signs are IUPAC's:
 * negative for ¹⁵N, ¹⁷O, ²⁹Si, ¹¹⁹Sn, ¹²⁹Xe …; b-values use γ², so the sign never matters there.
 * Frequency-derived values quoted elsewhere (e.g. ³¹P 17.235 MHz/T from H₃PO₄) include chemical shielding and can
 * differ from these by ~0.1 %.
 */
import { GAMMA_1H } from './bValue';

const E7 = 1e7;

/** γ in rad s⁻¹ T⁻¹, keyed by mass number + element symbol as TopSpin writes NUC1 ('1H', '13C', '7Li'). */
export const GYROMAGNETIC_RATIOS: Readonly<Record<string, number>> = Object.freeze({
  '1H': GAMMA_1H,
  '2H': 4.10662791 * E7,
  '3H': 28.5349779 * E7,
  '3He': -20.3801587 * E7,
  '6Li': 3.9371709 * E7,
  '7Li': 10.3977013 * E7,
  '9Be': -3.759666 * E7,
  '10B': 2.8746786 * E7,
  '11B': 8.5847044 * E7,
  '13C': 6.728284 * E7,
  '14N': 1.9337792 * E7,
  '15N': -2.71261804 * E7,
  '17O': -3.62808 * E7,
  '19F': 25.18148 * E7,
  '21Ne': -2.11308 * E7,
  '23Na': 7.0808493 * E7,
  '25Mg': -1.63887 * E7,
  '27Al': 6.9762715 * E7,
  '29Si': -5.319 * E7,
  '31P': 10.8394 * E7,
  '33S': 2.055685 * E7,
  '35Cl': 2.624198 * E7,
  '37Cl': 2.184368 * E7,
  '39K': 1.2500608 * E7,
  '41K': 0.68606808 * E7,
  '43Ca': -1.803069 * E7,
  '45Sc': 6.5087973 * E7,
  '47Ti': -1.5105 * E7,
  '49Ti': -1.51095 * E7,
  '51V': 7.0455117 * E7,
  '53Cr': -1.5152 * E7,
  '55Mn': 6.6452546 * E7,
  '57Fe': 0.8680624 * E7,
  '59Co': 6.332 * E7,
  '61Ni': -2.3948 * E7,
  '63Cu': 7.111789 * E7,
  '65Cu': 7.60435 * E7,
  '67Zn': 1.676688 * E7,
  '69Ga': 6.438855 * E7,
  '71Ga': 8.181171 * E7,
  '73Ge': -0.9360303 * E7,
  '75As': 4.596163 * E7,
  '77Se': 5.1253857 * E7,
  '79Br': 6.725616 * E7,
  '81Br': 7.249776 * E7,
  '83Kr': -1.0331 * E7,
  '85Rb': 2.592705 * E7,
  '87Rb': 8.7864 * E7,
  '87Sr': -1.1639376 * E7,
  '89Y': -1.3162791 * E7,
  '91Zr': -2.49743 * E7,
  '93Nb': 6.5674 * E7,
  '95Mo': -1.751 * E7,
  '97Mo': -1.788 * E7,
  '99Ru': -1.229 * E7,
  '101Ru': -1.377 * E7,
  '103Rh': -0.8468 * E7,
  '105Pd': -1.23 * E7,
  '107Ag': -1.0889181 * E7,
  '109Ag': -1.2518634 * E7,
  '111Cd': -5.6983131 * E7,
  '113Cd': -5.9609155 * E7,
  '113In': 5.8845 * E7,
  '115In': 5.8972 * E7,
  '115Sn': -8.8013 * E7,
  '117Sn': -9.58879 * E7,
  '119Sn': -10.0317 * E7,
  '121Sb': 6.4435 * E7,
  '123Sb': 3.4892 * E7,
  '123Te': -7.059098 * E7,
  '125Te': -8.5108404 * E7,
  '127I': 5.389573 * E7,
  '129Xe': -7.452103 * E7,
  '131Xe': 2.209076 * E7,
  '133Cs': 3.5332539 * E7,
  '135Ba': 2.6755 * E7,
  '137Ba': 2.99295 * E7,
  '139La': 3.8083318 * E7,
  '171Yb': 4.7288 * E7,
  '183W': 1.1282403 * E7,
  '187Os': 0.6192895 * E7,
  '195Pt': 5.8385 * E7,
  '199Hg': 4.8457916 * E7,
  '201Hg': -1.788769 * E7,
  '203Tl': 15.5393338 * E7,
  '205Tl': 15.6921808 * E7,
  '207Pb': 5.58046 * E7,
  '209Bi': 4.375 * E7,
});

/**
 * The table key for a nucleus spelt as TopSpin's NUC1 ('13C') or the other common ways ('C13', '13c', '¹³C'), or
 * undefined when it is not a nucleus (TopSpin's 'off', an empty string, junk).
 */
export function normaliseNucleus(nucleus: string): string | undefined {
  const t = nucleus.trim().replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹]/g, (c) => String('⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(c)));
  const massFirst = /^(\d{1,3})\s*-?\s*([A-Za-z]{1,2})$/.exec(t);
  const symbolFirst = massFirst ? null : /^([A-Za-z]{1,2})\s*-?\s*(\d{1,3})$/.exec(t);
  const mass = massFirst?.[1] ?? symbolFirst?.[2];
  const symbol = massFirst?.[2] ?? symbolFirst?.[1];
  if (mass === undefined || symbol === undefined) return undefined;
  const key = `${Number(mass)}${symbol.charAt(0).toUpperCase()}${symbol.slice(1).toLowerCase()}`;
  return Object.hasOwn(GYROMAGNETIC_RATIOS, key) ? key : undefined;
}

/**
 * γ of `nucleus` in rad s⁻¹ T⁻¹ (signed, as IUPAC gives it). Throws a RangeError naming the nucleus for 'off' and
 * for anything not in the table; a reader turns that into its file's error.
 */
export function gyromagneticRatio(nucleus: string): number {
  const key = normaliseNucleus(nucleus);
  if (key === undefined) {
    throw new RangeError(
      `no gyromagnetic ratio for nucleus ${JSON.stringify(nucleus.slice(0, 20))} (expected e.g. '1H', '13C', '19F', '7Li')`,
    );
  }
  return GYROMAGNETIC_RATIOS[key]!;
}
