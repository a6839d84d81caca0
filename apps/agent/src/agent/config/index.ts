export { agentConfigSchema, ruleSchema, classicalMethodSchema } from './schema';
export type { AgentConfig, AgentConfigInput, Rule } from './schema';
export { AgentConfigError, loadAgentConfig, mqttPassword, validateAgentConfig } from './loadConfig';
export { quickStartConfig } from './quickStart';
export type { QuickStartFlags } from './quickStart';
