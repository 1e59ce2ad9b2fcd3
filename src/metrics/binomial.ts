// Binomial coefficients C(n, x) as doubles from Pascal's rule (additions of positive numbers only, so the
// relative error stays at a few ulps; exact up to 2^53). Finite for n ≤ 1029.

export class BinomialTable {
  private readonly rows: Float64Array[] = [new Float64Array([1])];

  /** C(n, x); 0 outside 0 ≤ x ≤ n. */
  get(n: number, x: number): number {
    if (x < 0 || x > n || n < 0) return 0;
    while (this.rows.length <= n) {
      const prev = this.rows[this.rows.length - 1];
      const m = prev.length;
      const row = new Float64Array(m + 1);
      row[0] = 1;
      row[m] = 1;
      for (let i = 1; i < m; i++) row[i] = prev[i - 1] + prev[i];
      this.rows.push(row);
    }
    return this.rows[n][x];
  }
}
