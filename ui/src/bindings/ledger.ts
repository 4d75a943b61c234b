// Generated from the ledger contract (src/ledger.rs, src/model.rs) by src-tauri/src/bindings.rs. Do not edit.
import type { RecordKind } from "./RecordKind";
import type { Status } from "./Status";

/** Each kind's columns, in the order a file of that kind is written. */
export const LEDGER_COLUMNS: Record<RecordKind, readonly string[]> = {
  programs: ["id", "program", "employer", "platform", "kind", "currency", "effective_from", "effective_to", "rate_per_hour", "block_hours", "block_amount", "min_hours", "match_ratio", "min_gift", "max_gift", "annual_cap", "cap_group", "year_start", "claim_days", "fee_rate"],
  employments: ["id", "contributor", "email", "employer", "start", "end"],
  hours: ["id", "date", "contributor", "email", "employer", "project", "hours", "description", "status", "submitted_on", "approved_on", "paid_on", "rejected_on"],
  donations: ["id", "date", "contributor", "email", "employer", "project", "amount", "currency", "status", "submitted_on", "approved_on", "paid_on", "rejected_on"],
  payments: ["id", "date", "payer", "project", "currency", "gross", "fees", "net", "reference", "employer", "contributor", "email", "type", "disbursement", "gift_date", "bank_date", "bank_reference"],
  deposits: ["id", "date", "account", "currency", "amount", "reference", "description"],
};

/** Where an entry stands in its claim's life, in order. */
export const STATUSES = ["logged", "submitted", "approved", "paid", "rejected"] as const;

/** The status date columns of an entry at each status: those of the statuses it reached. */
export const STATUS_DATES: Record<Status, readonly string[]> = {
  logged: [],
  submitted: ["submitted_on"],
  approved: ["submitted_on", "approved_on"],
  paid: ["submitted_on", "approved_on", "paid_on"],
  rejected: ["submitted_on", "approved_on", "rejected_on"],
};
