/**
 * `lapis agent`: watcher input → processors → durable outbox → MQTT output, with an embedded broker and
 * /healthz + /metrics. The command is `agentCommand`; the rest is exported for tests, benches and embedding.
 */
export { Agent } from './agent';
export type { AgentDeps } from './agent';
export { agentCommand, createAgentCommand, AGENT_HELP, AGENT_SUMMARY } from './command';
export * from './config';
export { startEmbeddedBroker } from './broker/embeddedBroker';
export type { EmbeddedBroker, EmbeddedBrokerOptions } from './broker/embeddedBroker';
export { startHealthServer } from './http/healthServer';
export type { HealthServer, HealthServerOptions } from './http/healthServer';
export { AcquisitionWatcher } from './inputs/watcher/acquisitionWatcher';
export type { AcquisitionWatcherOptions, AcquisitionHandler } from './inputs/watcher/acquisitionWatcher';
export { defaultCompletionCheck, ACQUISITION_MARKERS } from './inputs/watcher/completion';
export type { Completion, CompletionCheck } from './inputs/watcher/completion';
export * from './outbox';
export { MqttOutput } from './outputs/mqtt/mqttOutput';
export type { MqttOutputOptions } from './outputs/mqtt/mqttOutput';
export { acquisitionKey, canonicalJson } from './processors/acquisitionKey';
export type { AcquisitionKey, AcquisitionKeyOptions } from './processors/acquisitionKey';
export { buildEnvelope } from './processors/buildEnvelope';
export { fitPayload } from './processors/fitPayload';
export { classicalSteps, processAcquisition } from './processors/pipelineSteps';
export { WorkerPoolSteps } from './processors/workerPool';
export type { Analysis, PipelineSteps } from './processors/pipelineSteps';
export { metricsText, newMetrics } from './metrics';
export type { AgentMetrics } from './metrics';
export { PIPELINE_VERSION, SOFTWARE_VERSION } from './version';
