// Every plot `npm run bench:plots` draws. To add one: a FigureDefinition in a file of this folder
// (one file per benchmark result) and its list below.

import { ALLOCATION_FIGURES } from './allocation';
import { DOCKER_FIGURES } from './docker';
import { FAILOVER_FIGURES } from './failover';
import { FigureDefinition } from './figure';
import { SLURM_FIGURES } from './slurm';
import { STATE_FIGURES } from './state';
import { THROUGHPUT_FIGURES } from './throughput';

export type { FigureDefinition } from './figure';
export { ResultFormatError } from './read-result';

/** All figures; image names are unique (checked when this module loads). */
export const FIGURES: readonly FigureDefinition[] = checkUnique([
  ...THROUGHPUT_FIGURES,
  ...SLURM_FIGURES,
  ...DOCKER_FIGURES,
  ...FAILOVER_FIGURES,
  ...STATE_FIGURES,
  ...ALLOCATION_FIGURES,
]);

function checkUnique(figures: readonly FigureDefinition[]): readonly FigureDefinition[] {
  const seen = new Set<string>();
  for (const figure of figures) {
    if (seen.has(figure.image)) throw new Error(`two figures write ${figure.image}`);
    seen.add(figure.image);
  }
  return figures;
}
