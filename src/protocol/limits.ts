/**
 * Input limits shared by the server (which enforces them) and the web app
 * (which shows them before sending): defined once so the two cannot drift.
 */
export const InputLimits = {
  /** display name length after trimming and collapsing whitespace, in code points (SPEC §3) */
  displayNameMin: 2,
  displayNameMax: 30,
  /** longest raw name input read at all (room for whitespace that is collapsed) */
  displayNameInput: 200,
  username: 200,
  password: 1000,
  /** a submitted flag */
  flag: 65_536,
  /** an admin or API token presented in a form or JSON body */
  token: 1000,
  /** a division name in credentials.csv and in `?division=` (SPEC §9) */
  division: 40,
} as const;
