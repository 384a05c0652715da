/*
 * Fixed quadrature rules, computed once at load: Gauss–Legendre nodes with the matrix that integrates the
 * interpolating polynomial from the panel's left end to each node (running integrals, exact for polynomials of
 * degree < n), and Gauss–Hermite nodes for integrals against e^{−x²}.
 */

export interface LegendreRule {
  /** Nodes on [−1, 1], ascending, and their weights. */
  x: Float64Array;
  w: Float64Array;
  /** cumulative[k * n + m]: weight of f(x_m) in ∫_{−1}^{x_k} f. */
  cumulative: Float64Array;
}

/** P_0 … P_{degree}(x) by the three-term recurrence. */
function legendreValues(degree: number, x: number): Float64Array {
  const p = new Float64Array(degree + 2);
  p[0] = 1;
  p[1] = x;
  for (let l = 1; l <= degree; l++) p[l + 1] = ((2 * l + 1) * x * p[l] - l * p[l - 1]) / (l + 1);
  return p;
}

export function gaussLegendre(n: number): LegendreRule {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    for (let iter = 0; iter < 100; iter++) {
      const p = legendreValues(n, z);
      const dp = (n * (z * p[n] - p[n - 1])) / (z * z - 1);
      const dz = p[n] / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    const p = legendreValues(n, z);
    const dp = (n * (z * p[n] - p[n - 1])) / (z * z - 1);
    x[n - 1 - i] = z;
    w[n - 1 - i] = 2 / ((1 - z * z) * dp * dp);
  }
  // f ≈ Σ_l c_l P_l with c_l = (2l+1)/2 Σ_m w_m P_l(x_m) f_m;
  // ∫_{−1}^{y} P_0 = y + 1 and ∫_{−1}^{y} P_l = (P_{l+1} − P_{l−1})(y)/(2l+1).
  const cumulative = new Float64Array(n * n);
  const atNodes = Array.from(x, (xm) => legendreValues(n, xm));
  for (let k = 0; k < n; k++) {
    const pk = atNodes[k];
    const integrals = new Float64Array(n);
    integrals[0] = x[k] + 1;
    for (let l = 1; l < n; l++) integrals[l] = (pk[l + 1] - pk[l - 1]) / (2 * l + 1);
    for (let m = 0; m < n; m++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += ((2 * l + 1) / 2) * w[m] * atNodes[m][l] * integrals[l];
      cumulative[k * n + m] = s;
    }
  }
  return { x, w, cumulative };
}

/** Gauss–Hermite nodes and weights for ∫ f(x) e^{−x²} dx (Golub–Welsch free: Newton on the Hermite recurrence). */
export function gaussHermite(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  const pim4 = Math.PI ** -0.25;
  let z = 0;
  for (let i = 0; i < m; i++) {
    // Initial guesses as in Numerical Recipes' gauher.
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * (2 * n + 1) ** -0.16667;
    else if (i === 1) z -= (1.14 * n ** 0.426) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0];
    else if (i === 3) z = 1.91 * z - 0.91 * x[1];
    else z = 2 * z - x[i - 2];
    let pp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = pim4;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const dz = p1 / pp;
      z -= dz;
      if (Math.abs(dz) < 1e-15) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[n - 1 - i] = w[i];
  }
  return { x, w };
}
