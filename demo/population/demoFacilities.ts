import type { DemoFacility } from './types';

/**
 * The fictional hospitals of the demo network. Codes are valid MA_CSKCB (5 digits, the first two
 * the province: docs/standards.md §5.2) but chosen in a 9xx range so they read as made up; the
 * names are invented. Order matters: it is the configured source order the gateway merges in.
 */
export const DEMO_FACILITIES: readonly DemoFacility[] = [
  { code: '01901', name: 'Bệnh viện Đa khoa Sông Hồng' },
  { code: '79902', name: 'Bệnh viện Đa khoa Sài Gòn Xanh' },
  { code: '48903', name: 'Bệnh viện Đa khoa Non Nước' },
  { code: '92904', name: 'Bệnh viện Đa khoa Phù Sa Cần Thơ' },
];
