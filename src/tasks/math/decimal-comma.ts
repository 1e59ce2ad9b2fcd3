/**
 * European decimal commas (`2,74` for 2.74). A comma between digits is ambiguous: `1,000` is a thousand, `1,2` is
 * two answers in MATH-style golds ("enter all solutions, separated by commas"), and `1,22` is 1.22 in much of the
 * world. The rules:
 *
 *  - Always: a prediction that is exactly `d,d` (one comma, not a thousands group) is read as a decimal when the gold
 *    is a decimal number written with a point: gold `2.74`, prediction `2,74`. Digits that spell the gold's decimal
 *    are not a list of two answers to a one-number question.
 *  - Option `decimalComma: true` (a dataset written with decimal commas): every answer that is exactly `d,d` (one
 *    comma, digits on both sides) and not a thousands group is a decimal, gold and prediction alike: `1,22` = 1.22,
 *    `0,111` = 0.111, `1,2` = 1.2, while `1,222` stays 1222.
 *
 * By default a gold `1,22` is therefore the list 1, 22: reading it as 1.22 would accept `1.2` for a gold `1,2`.
 */
import { WHOLE_THOUSANDS } from "./structure.js";

const ONE_COMMA = /^[+-]?\d+,\d+$/;
const POINT_DECIMAL = /^[+-]?\d*\.\d+$/;

function asDecimal(text: string): string {
  return text.replace(",", ".");
}

/** The gold and predicted texts with decimal commas read as points where the rules above say so. */
export function readDecimalCommas(gold: string, pred: string, decimalComma: boolean): [string, string] {
  if (decimalComma) {
    const read = (t: string): string => (ONE_COMMA.test(t) && !WHOLE_THOUSANDS.test(t) ? asDecimal(t) : t);
    return [read(gold), read(pred)];
  }
  if (ONE_COMMA.test(pred) && !WHOLE_THOUSANDS.test(pred) && POINT_DECIMAL.test(gold)) return [gold, asDecimal(pred)];
  return [gold, pred];
}
