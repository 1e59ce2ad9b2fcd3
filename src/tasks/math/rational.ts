// The math verifier's exact rationals are the tasks' one rational module (src/tasks/rational.ts); this path is
// kept for existing imports.
export { add, div, equals, mul, neg, pow10, rational, relClose, toNumber, toString, type Rational } from "../rational.js";
