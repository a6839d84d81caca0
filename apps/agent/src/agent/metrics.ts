/**
 * The agent's counters, read by /metrics (Prometheus text), /healthz and the MQTT heartbeat.
 * Plain numbers in one object: the agent is one process, so no registry library is needed.
 */
export interface AgentMetrics {
  startedAt: number;
  detected: number;
  processed: number;
  failed: number;
  /** Acquisitions skipped because their key was already processed. */
  skipped: number;
  queued: number;
  running: number;
  outboxDepth: number;
  outboxBytes: number;
  outboxQuotaBytes: number;
  published: number;
  /** ms since the epoch of the last successful processing, 0 if none. */
  lastSuccessAt: number;
  mqttConnected: boolean;
  /** Wall time from acquisition complete (detected) to PUBACK of its result, ms, most recent. */
  lastLatencyMs: number;
}

export function newMetrics(quotaBytes: number, now = Date.now()): AgentMetrics {
  return {
    startedAt: now,
    detected: 0,
    processed: 0,
    failed: 0,
    skipped: 0,
    queued: 0,
    running: 0,
    outboxDepth: 0,
    outboxBytes: 0,
    outboxQuotaBytes: quotaBytes,
    published: 0,
    lastSuccessAt: 0,
    mqttConnected: false,
    lastLatencyMs: 0,
  };
}

/** Prometheus text exposition format 0.0.4. */
export function metricsText(m: AgentMetrics, instrument: string, now = Date.now()): string {
  const label = `{instrument="${instrument.replace(/["\\]/g, '')}"}`;
  const lines: string[] = [];
  const add = (name: string, type: 'counter' | 'gauge', help: string, value: number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name}${label} ${value}`);
  };
  add('lapis_agent_acquisitions_detected_total', 'counter', 'Acquisitions found complete by the watcher.', m.detected);
  add('lapis_agent_acquisitions_processed_total', 'counter', 'Acquisitions processed successfully.', m.processed);
  add(
    'lapis_agent_acquisitions_failed_total',
    'counter',
    'Acquisitions that failed (failed event published).',
    m.failed,
  );
  add(
    'lapis_agent_acquisitions_skipped_total',
    'counter',
    'Acquisitions skipped because their key was already processed.',
    m.skipped,
  );
  add('lapis_agent_queue_length', 'gauge', 'Acquisitions waiting to be processed.', m.queued);
  add('lapis_agent_processing', 'gauge', 'Acquisitions being processed now.', m.running);
  add('lapis_agent_outbox_depth', 'gauge', 'Messages awaiting broker acknowledgement.', m.outboxDepth);
  add('lapis_agent_outbox_bytes', 'gauge', 'Payload bytes awaiting broker acknowledgement.', m.outboxBytes);
  add('lapis_agent_outbox_quota_bytes', 'gauge', 'Outbox disk quota.', m.outboxQuotaBytes);
  add('lapis_agent_messages_published_total', 'counter', 'Outbox messages acknowledged by the broker.', m.published);
  add(
    'lapis_agent_last_success_timestamp_seconds',
    'gauge',
    'Unix time of the last successful processing (0: none).',
    m.lastSuccessAt / 1000,
  );
  add('lapis_agent_mqtt_connected', 'gauge', '1 while connected to the broker.', m.mqttConnected ? 1 : 0);
  add(
    'lapis_agent_last_latency_seconds',
    'gauge',
    'Completion to PUBACK of the latest result, seconds.',
    m.lastLatencyMs / 1000,
  );
  add('lapis_agent_uptime_seconds', 'gauge', 'Seconds since the agent started.', (now - m.startedAt) / 1000);
  return lines.join('\n') + '\n';
}
