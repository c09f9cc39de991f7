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
 * at 2× (before the price steps were scaled to the move cost, fixed.ts PRICE_REACH), 0.36× / 0.33× at 8× now,
 * for +1.3 % / +1.5 % total distance. "Fewest accounts moved" is what a manager asks of a runtime change, so
 * the default is 8×; a caller (or the bench's --move-cost) can pass any other value.
 */
export const MOVE_COST_FACTOR = 8;
