import { EXCLUDED_SQL } from '../exclusions/repository.ts';
import { NOT_IN_CRM_SQL } from '../outcomes/repository.ts';

/** Joins an account `a` to its outcome `o` and its workspace's exclusion rules `x`. */
export const ELIGIBILITY_JOINS = `LEFT JOIN outcomes o ON o.account_id = a.id
  LEFT JOIN exclusion_rules x ON x.workspace_id = a.workspace_id`;

/** A prospect: not in the CRM pipeline and not excluded by the workspace's rules. */
export const PROSPECT_SQL = `${NOT_IN_CRM_SQL} AND NOT ${EXCLUDED_SQL}`;
