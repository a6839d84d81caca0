/** Summary and help of `lapis agent`, without the agent's dependencies: the registry (src/cli/commands.ts) imports them. */
export const AGENT_SUMMARY = 'watch acquisition folders, invert what finishes, publish results over MQTT';

export const AGENT_HELP = `lapis agent — unattended processing beside the spectrometer

Usage:
  lapis agent --config lapis.agent.yaml
  lapis agent --watch DIR --instrument ID [--mqtt URL | --broker-port N] [options]
  lapis agent reprocess PATH… (--config FILE | --instrument ID [--mqtt URL | --broker-port N])

Options:
  --config FILE       YAML configuration (see apps/agent/lapis.agent.sample.yaml)
  --watch DIR         folder the instrument writes into (repeatable); quick start without a file
  --instrument ID     instrument id: topics are lapis/v1/ID/…
  --mqtt URL          broker URL (mqtt://, mqtts://); without it an embedded broker runs on localhost
  --broker-port N     port of the embedded broker (default 1883)
  --data-dir DIR      where the agent keeps its outbox (default ~/.lapis-agent/ID)
  --polling           poll instead of file-system events (network shares)
  --http-port N       port of /healthz and /metrics on 127.0.0.1 (default 9464; 0: any free port)
  --log-level LEVEL   fatal, error, warn, info (default), debug, trace
  --check             validate the configuration and exit (touches no network)

reprocess sends cmd/reprocess to the running agent, then follows its events until every path is done.
  --timeout S         give up after S seconds (default 600)
`;
