/**
 * The PostgreSQL read model and outbox, as kysely sees it. Row types never leave db/: repositories
 * map them to domain shapes. Timestamps are `timestamptz`; JSON columns are `jsonb`.
 */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp with a database default. (`Generated<Timestamp>` would nest ColumnTypes and select as an object type.) */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T extends object | null> = JSONColumnType<T, T, T>;

/** One row per case: the projection of the workflow's state that lists, filters and reports read. */
export interface CasesTable {
  id: string;
  type: string;
  status: string;
  team: string;
  assignee: string | null;
  escalation_level: number;
  policy_no: string | null;
  next_due_at: Timestamp | null;
  sla_breached: boolean;
  /** The case view without personal data (clocks, documents, decision ...). */
  data: Json<Record<string, unknown>>;
  /** Monotonic per case; a projection never overwrites a newer one with an older one. */
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
}

/**
 * Personal data (PIPL) kept apart from everything else: names, phones, plates, ID numbers, free text.
 * Temporal never sees it; the API masks it by role; the notifier reads it at delivery time.
 */
export interface CasePersonalDataTable {
  case_id: string;
  data: Json<Record<string, unknown>>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface ClocksTable {
  case_id: string;
  clock_id: string;
  policy: string;
  kind: string;
  state: string;
  started_at: Timestamp;
  due_at: Timestamp;
  warn_at: Timestamp;
  ended_at: Timestamp | null;
  provisional: boolean;
  /** Escalation steps taken after breach (0 none, 1 supervisor, 2 manager). */
  escalations: Generated<number>;
  /** The projection version that last wrote this clock; older projections never regress it. */
  version: number;
  updated_at: Timestamp;
}

export interface TimelineEventsTable {
  id: Generated<string>;
  case_id: string;
  /** Idempotency: `<caseId>:<sequence>` from the workflow, so a retried projection writes nothing twice. */
  event_key: string;
  at: Timestamp;
  actor: string;
  kind: string;
  detail: Json<Record<string, unknown>>;
}

export interface NotificationsTable {
  id: Generated<string>;
  case_id: string | null;
  /** Workflow id + purpose; unique. */
  idempotency_key: string;
  channel: string;
  template: string;
  params: Json<Record<string, unknown>>;
  recipient_kind: string;
  /** Staff id, role name or `customer`; the address itself is resolved at delivery. */
  recipient_ref: string;
  /** The address used (phone, e-mail, staff id), filled when delivered. Personal data: mask on read. */
  recipient: string | null;
  /** The workflow wants a delivery receipt (signal `notificationDelivered`) once the row is sent. */
  receipt: Generated<boolean>;
  /** When the receipt signal reached the workflow; null on a sent receipt row means: signal again. */
  receipt_confirmed_at: Timestamp | null;
  /** `queued` | `sending` (leased by a dispatcher) | `sent` | `failed` | `suppressed`. */
  status: Generated<string>;
  attempts: Generated<number>;
  /** The last delivery error, or the reason a notification was suppressed. */
  last_error: string | null;
  /** Retry back-off: a queued row is not handed out before this instant. */
  available_at: GeneratedTimestamp;
  /** While `sending`: the dispatcher's lease; once it has passed, another dispatcher may take the row. */
  lease_until: Timestamp | null;
  created_at: GeneratedTimestamp;
  sent_at: Timestamp | null;
}

export interface IdempotencyKeysTable {
  actor: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  state: string;
  response_status: number | null;
  response_body: Json<object> | null;
  response_headers: Json<Record<string, string>> | null;
  created_at: GeneratedTimestamp;
  completed_at: Timestamp | null;
}

export interface DeadlinePoliciesTable {
  name: string;
  duration: string;
  mode: string;
  warn_at: number | null;
  max_reminders: number | null;
  updated_by: string;
  updated_at: Timestamp;
}

export interface CalendarYearsTable {
  year: number;
  days: Json<{ date: string; name: string; isOffDay: boolean }[]>;
  updated_by: string;
  updated_at: Timestamp;
}

/**
 * Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE. A hash chain: `seq`, `prev_hash` and
 * `hash` are set by the database's insert trigger (migration 2026_12_02_0541_audit_chain).
 */
export interface AuditLogTable {
  id: Generated<string>;
  at: GeneratedTimestamp;
  actor: string;
  action: string;
  target: string;
  detail: Json<Record<string, unknown>>;
  seq: Generated<string>;
  prev_hash: Generated<string>;
  hash: Generated<string>;
}

/** The one row naming the chain's last seq and hash (written by the audit_log insert trigger only). */
export interface AuditChainHeadTable {
  only_row: Generated<boolean>;
  seq: string;
  hash: string;
}

/** One satisfaction survey per case (paid claim, resolved complaint, answered inquiry). */
export interface SatisfactionSurveysTable {
  case_id: string;
  case_type: string;
  team: string;
  agent: string | null;
  /** How the case came in (complaint / inquiry channel); null for claims. */
  channel: string | null;
  sent_via: string;
  sent_at: Timestamp;
  /** `sent` | `answered` | `unanswered`. */
  status: Generated<string>;
  score: number | null;
  comment: string | null;
  answered_at: Timestamp | null;
  unanswered_at: Timestamp | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/** A policy from the core policy system: what the renewal sweep reads. Holder and plate are personal data. */
export interface InsurancePoliciesTable {
  policy_no: string;
  holder: Json<{ name: string; phone: string; email: string | null }>;
  plate: string;
  /** `compulsory` | `commercial`. */
  product: string;
  starts_at: Timestamp;
  expires_at: Timestamp;
  /** numeric(12,2): pg returns it as text, to keep cents exact. */
  premium: ColumnType<string, string | number, string | number>;
  claim_free_years: Generated<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

/** Addresses that must not be contacted (declined renewal, opt-out): SHA-256 of the normalised address. */
export interface DoNotContactTable {
  contact_hash: string;
  /** `phone` | `email`. */
  kind: string;
  masked: string;
  reason: string;
  source_case_id: string | null;
  created_by: string;
  created_at: GeneratedTimestamp;
}

/** A projection the read model refused for good (data error); ids and codes only. */
/** A compliance exception recorded on a case (e.g. a claim document the first notice should have listed). */
export interface ComplianceExceptionsTable {
  id: Generated<string>;
  case_id: string;
  case_type: string;
  team: string;
  /** The timeline event it was written from: one row per event. */
  event_key: string;
  at: Timestamp;
  /** What kind of exception: `document_request` (a further request for claim documents). */
  kind: string;
  documents: Json<string[]>;
  /** `omitted` or `new_facts` (a new-facts request for a document the first notice should have listed). */
  cause: string;
  actor: string;
  created_at: GeneratedTimestamp;
}

export interface FailedProjectionsTable {
  id: Generated<string>;
  case_id: string;
  version: number;
  sqlstate: string;
  workflow_id: string;
  run_id: string;
  event_keys: Json<string[]>;
  notification_keys: Json<string[]>;
  created_at: GeneratedTimestamp;
}

/** The staff directory: who can be assigned, scored and counted (tokens alone prove only who is asking). */
export interface StaffTable {
  id: string;
  name: string;
  /** `agent` | `supervisor` | `manager` | `hr` | `admin`. */
  role: string;
  team: string | null;
  supervisor_id: string | null;
  /** `date`; the repository reads it as yyyy-mm-dd text (drivers would make a local-midnight Date of it). */
  hired_at: ColumnType<unknown, string, string>;
  active: boolean;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  updated_by: string;
}

/** Every assignment a case has had, oldest first by id: whose figures a case counts in. */
export interface CaseAssignmentsTable {
  id: Generated<string>;
  case_id: string;
  assignee: string;
  assigned_at: Timestamp;
  assignment_key: string;
}

/** Targets of one period (YYYY-MM) for all ('' team and staff), one team, or one agent. */
export interface KpiTargetsTable {
  period: string;
  team: ColumnType<string, string | undefined, string>;
  staff_id: ColumnType<string, string | undefined, string>;
  targets: Json<Record<string, number>>;
  updated_by: string;
  updated_at: GeneratedTimestamp;
}

/** HMAC-SHA256 (secret from config) of a normalised phone or plate of a case: search without clear text. */
export interface CaseSearchKeysTable {
  hash: string;
  case_id: string;
  /** `phone` | `plate`. */
  kind: string;
}

/** A supervisor's checklist (服务质检) on one case a staff member handled; feeds that month's assessment. */
export interface QualityReviewsTable {
  id: string;
  case_id: string;
  case_type: string;
  team: string;
  staff_id: string;
  reviewer: string;
  checklist: Json<Record<string, number>>;
  /** `numeric`: pg returns it as text. */
  score: ColumnType<string, number, number>;
  comment: string | null;
  reviewed_at: Timestamp;
  created_at: GeneratedTimestamp;
}

/** One training plan (培训计划): an onboarding, a periodic round or a special training. */
export interface TrainingPlansTable {
  id: string;
  /** `onboarding` | `periodic` | `special`. */
  kind: string;
  title: string;
  topics: Json<string[]>;
  pass_mark: number;
  duration_days: number | null;
  every_months: number | null;
  team: string | null;
  reason: string;
  /** `onboarding:<staffId>`, `special:<assessmentId>`, `periodic:<team>:<YYYY-MM>`; null for a plan by hand. */
  source_key: string | null;
  created_by: string;
  created_at: GeneratedTimestamp;
}

/** Whose training record (case of type `training`) belongs to which plan. */
export interface TrainingRecordsTable {
  id: string;
  plan_id: string;
  staff_id: string;
  team: string | null;
  assigned_at: Timestamp;
}

/** One weight (percent) per assessment component: figures, quality, attendance, initiative, teamwork. */
export interface AssessmentWeightsTable {
  component: string;
  weight: number;
  updated_by: string;
  updated_at: GeneratedTimestamp;
}

/** One band per grade (优秀 / 良好 / 合格 / 不合格): the least total that earns it and its bonus coefficient. */
export interface AssessmentGradeBandsTable {
  grade: string;
  min_total: number;
  bonus_coefficient: number;
  updated_by: string;
  updated_at: GeneratedTimestamp;
}

/** The annual result per agent as the January run fixed it. */
export interface AnnualAssessmentsTable {
  year: number;
  staff_id: string;
  team: string;
  months: number;
  periods: Json<string[]>;
  total: number;
  grade: string;
  bonus_coefficient: number;
  excellent_months: number;
  excellent: boolean;
  computed_at: GeneratedTimestamp;
}

export interface Database {
  cases: CasesTable;
  case_personal_data: CasePersonalDataTable;
  clocks: ClocksTable;
  timeline_events: TimelineEventsTable;
  notifications: NotificationsTable;
  idempotency_keys: IdempotencyKeysTable;
  deadline_policies: DeadlinePoliciesTable;
  calendar_years: CalendarYearsTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  satisfaction_surveys: SatisfactionSurveysTable;
  insurance_policies: InsurancePoliciesTable;
  do_not_contact: DoNotContactTable;
  failed_projections: FailedProjectionsTable;
  compliance_exceptions: ComplianceExceptionsTable;
  staff: StaffTable;
  case_assignments: CaseAssignmentsTable;
  kpi_targets: KpiTargetsTable;
  case_search_keys: CaseSearchKeysTable;
  quality_reviews: QualityReviewsTable;
  training_plans: TrainingPlansTable;
  training_records: TrainingRecordsTable;
  equipment: EquipmentTable;
  equipment_checks: EquipmentChecksTable;
  equipment_repairs: EquipmentRepairsTable;
  assessment_weights: AssessmentWeightsTable;
  assessment_grade_bands: AssessmentGradeBandsTable;
  annual_assessments: AnnualAssessmentsTable;
  clock_outcome_days: ClockOutcomeDaysTable;
  case_opened_days: CaseOpenedDaysTable;
}

/**
 * Clocks met and breached per Shanghai day, team and policy, kept by triggers on `clocks` (migration
 * 2026_12_02_1815_kpi_rollups): what the timeliness KPIs read instead of scanning the clocks.
 */
export interface ClockOutcomeDaysTable {
  /** The Shanghai date (a `date`: compare it with `'YYYY-MM-DD'::date`; pg reads it as a local Date). */
  day: ColumnType<Date | string, string, never>;
  team: string;
  policy: string;
  outcome: 'met' | 'breached';
  clocks: ColumnType<string, number, number>;
}

/**
 * The equipment register (设备台账): the registration the API writes, and the state the item's
 * workflow writes (status, last check, next check due, the open repair).
 */
export interface EquipmentTable {
  asset_id: string;
  kind: string;
  location: string;
  /** `date`; read as yyyy-mm-dd text. */
  purchased_at: ColumnType<unknown, string, string>;
  check_every_days: number;
  team: string;
  registered_by: string;
  registered_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  status: ColumnType<string, string | undefined, string>;
  last_checked_at: Timestamp | null;
  next_check_due: Timestamp | null;
  open_repair_id: string | null;
  state_version: ColumnType<number, number | undefined, number>;
}

/** One check (点检) of an item: the n-th of its workflow, so a retried write is a no-op. */
export interface EquipmentChecksTable {
  asset_id: string;
  n: number;
  result: string;
  note: string | null;
  checked_by: string;
  checked_at: Timestamp;
  repair_id: string | null;
}

/** The maintenance history (维修档案): one row per repair, written by the repair's workflow. */
export interface EquipmentRepairsTable {
  repair_id: string;
  asset_id: string;
  status: string;
  fault: string | null;
  opened_by: string;
  opened_at: Timestamp;
  outcome: string | null;
  replacement_reason: string | null;
  closed_at: Timestamp | null;
  version: number;
  updated_at: Timestamp;
}

/** Cases opened per Shanghai day, team and type, kept by triggers on `cases` (2026_12_02_1815_kpi_rollups). */
export interface CaseOpenedDaysTable {
  day: ColumnType<Date | string, string, never>;
  team: string;
  type: string;
  cases: ColumnType<string, number, number>;
}
