/** The first rule whose experiment list covers `experiment`; an Error naming the experiment when none does. */
import type { Rule } from '../config/schema';

export function matchRule(rules: readonly Rule[], experiment: string): Rule {
  const rule = rules.find((r) => r.experiments === '*' || (r.experiments as readonly string[]).includes(experiment));
  if (!rule) throw new Error(`no rule in the configuration processes ${experiment} experiments`);
  return rule;
}
