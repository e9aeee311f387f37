/**
 * How each status looks on the operators' pages, from the lifecycle's table (contracts/lifecycle.ts):
 * its stage on the live view's board, and its badge. Pure, so it is tested alone.
 */
import { STATUS_NAMES, STATUSES, type StatusName } from '../../../contracts/lifecycle.js';

export interface StageLook {
  status: StatusName;
  title: string;
  /** What it means, in a sentence. */
  what: string;
  classes: string[];
}

/**
 * The board's stages in two rows, as the seed drew it: the way through (each status still on its
 * way, then the good ends, in rank order) along the top, joined by arrows, and every other end
 * below, in the table's order.
 */
export function boardStages(): { through: StageLook[]; otherEnds: StageLook[] } {
  const onTheWay = (status: StatusName) => !STATUSES[status].terminal || STATUSES[status].tone === 'ok';
  const through = STATUS_NAMES.filter(onTheWay).sort((a, b) => STATUSES[a].rank - STATUSES[b].rank);
  return { through: through.map(stageLook), otherEnds: STATUS_NAMES.filter((status) => !onTheWay(status)).map(stageLook) };
}

function stageLook(status: StatusName): StageLook {
  const { stage, terminal } = STATUSES[status];
  return { status, title: stage.title, what: stage.what, classes: ['stage', ...(terminal ? ['terminal'] : []), ...toneClasses(status)] };
}

/** The classes of a status's badge, e.g. `badge tone-bad must-act`. */
export function badgeClasses(status: StatusName): string {
  return ['badge', ...toneClasses(status)].join(' ');
}

function toneClasses(status: StatusName): string[] {
  const { tone, operatorMustAct } = STATUSES[status];
  return [`tone-${tone}`, ...(operatorMustAct ? ['must-act'] : [])];
}
