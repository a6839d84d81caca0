/** Summary and help of `lapis stack`, without the stack's dependencies: the registry (src/cli/commands.ts) imports them. */
export const STACK_SUMMARY =
  'run everything locally: broker, dashboard, three agents and an instrument simulator (npm start)';

export const STACK_HELP = `lapis stack — the whole system on this machine (what \`npm start\` runs)

Starts, in this order and in one process tree: an MQTT broker (aedes) on localhost, the dashboard (PGlite),
one agent per simulated instrument (relaxometer-01: T1–T2 and T2 of a ripening cheese and a hydrating cement
paste; benchtop-01: D–T2 of an emulsion; avance-400: TopSpin T1/T2/DOSY pseudo-2D of a setting gel) and a
simulator that writes an acquisition every few seconds, progressively, with an occasional broken one.
Open the printed URL: a one-time sign-in link (the dashboard serves nobody who has not signed in; the link
signs one browser in as the demo's admin). Ctrl-C stops everything; the next run continues with the data.

Usage: lapis stack [options]

Options:
  --port N            dashboard port (default $PORT, else 3000)
  --broker-port N     MQTT broker port on 127.0.0.1 (default 1883; 0: any free port)
  --broker-anonymous  let any local client connect to the broker and publish anywhere (debugging); by
                      default only the stack's own credentials connect (STATE/broker-credentials.json)
  --state-dir DIR     where everything is kept (default .lapis/ in the repository)
  --demo-dir DIR      where the simulator writes (default STATE/demo)
  --interval S        seconds between two acquisitions (default 4)
  --row-interval MS   pause between rows as an acquisition is written (default 150)
  --broken-every N    every N-th acquisition is broken on purpose (default 10; 0: never)
  --dashboard MODE    build (default): a production build, made once (≈ 45 s) and again only when the
                      dashboard's sources change; dev: next dev (slow first pages, for dashboard work)
  --log-level LEVEL   agents' log level (default info)
`;
