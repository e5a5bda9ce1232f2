import type { VssOfficer } from '../../adapters/vss/VssClient';

/**
 * The demo's VSS facility account and look-up officer: what `npm start` and the tests configure on
 * both sides (the simulator and the client). Synthetic, like everything in demo/.
 */
export const DEMO_VSS_ACCOUNT: {
  readonly username: string;
  readonly password: string;
  readonly officer: VssOfficer;
} = {
  username: '01901_BV',
  password: 'demo-vss-password',
  officer: { name: 'Nguyễn Văn Kiểm', nationalId: '001085012345' },
};
