/**
 * Defaults shared by the balancing engine and the control (no solver code here, so the control's bundle can
 * import it without pulling the engine in; the engine runs in the worker).
 */

/**
 * Default move cost of a runtime change (rep leaves, new rep, capacity change): MOVE_COST_FACTOR × the mean
 * distance from an account to its centre in the current plan. The Runtime change dialog uses the same factor.
 *
 * Measured over the departure of every rep on two synthetic national bases (100k accounts, 50 reps; the bench
 * base and an unseen one, seed 7), other accounts moved / the departed rep's accounts, median: 0.54× / 0.62×
 * at 2× (before the price steps were scaled to the move cost and unowned accounts got more candidates, fixed/),
 * 0.26× / 0.25× at 8× now, every rep ≤ 0.44×, for about +1.5 % total distance. "Fewest accounts moved" is what a
 * manager asks of a runtime change, so the default is 8×; a caller (repLeaves' `moveCost`) can pass any other value.
 */
export const MOVE_COST_FACTOR = 8;
