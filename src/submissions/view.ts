import type { SubmissionView } from '../protocol/api.js';
import type { SubmissionRecord } from '../storage/store.js';

/** A stored submit in its wire form (the admin API and the admin socket). */
export function submissionView(r: SubmissionRecord): SubmissionView {
  return {
    id: r.id,
    ts: r.ts,
    username: r.username,
    displayname: r.displayname,
    challenge_id: r.challengeId,
    result: r.result,
    flag: r.flag,
    address: r.address,
  };
}
