export { classifyCompletion, parseAuditTrail } from './classifyCompletion';
export type { AuditEntry, ClassifyCompletionOptions, CompletionReport, CompletionState } from './classifyCompletion';
