import { ACTION_NAMES, pickActions } from "./workload.ts";

/** The round flags `npm run bench` and `npm run bench:layers` share, with each one's own defaults and wording. */
export function roundOptions(own: { runs: string; runsAre: string; connections: string; connectionsAre: string; actions: string }) {
  return {
    runs: { type: "string", default: own.runs, value: "N", description: own.runsAre },
    seconds: { type: "string", default: "3", value: "S", description: "length of one round, in seconds" },
    connections: { type: "string", default: own.connections, value: "C", description: own.connectionsAre },
    warmup: { type: "string", default: "5000", value: "W", description: "warm-up requests per action and subject (not measured)" },
    actions: { type: "string", default: own.actions, value: "a,b", description: `the actions to run, of ${ACTION_NAMES.join(", ")}` },
  } as const;
}

type RoundFlag = "runs" | "seconds" | "connections" | "warmup";

/** Those flags' values, checked: whole numbers, a warm-up of at least one request per connection, known actions. */
export function readRounds(cli: { wholeNumber: (name: RoundFlag) => number; fail: (message: string) => never; values: { actions: string } }) {
  const [runs, seconds, connections, warmup] = (["runs", "seconds", "connections", "warmup"] as const).map((name) => cli.wholeNumber(name)) as [
    number,
    number,
    number,
    number,
  ];
  // autocannon sends at least one request per connection.
  if (warmup < connections) cli.fail(`--warmup must be at least --connections (${connections}), not ${warmup}`);
  return { runs, seconds, connections, warmup, actions: pickActions(cli.values.actions, cli.fail) };
}
