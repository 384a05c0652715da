import { describe, expect, it } from 'vitest';
import { gaussHermite, gaussLegendre } from './gauss-rules';

describe('Gauss–Legendre', () => {
  it('integrates polynomials up to degree 2n − 1 exactly on [−1, 1]', () => {
    const { x, w } = gaussLegendre(8);
    for (let degree = 0; degree <= 15; degree++) {
      const exact = degree % 2 === 1 ? 0 : 2 / (degree + 1);
      const sum = x.reduce((s, xi, i) => s + w[i] * xi ** degree, 0);
      expect(sum).toBeCloseTo(exact, 13);
    }
  });

  it('gives running integrals from −1 to every node, exact for polynomials of degree < n', () => {
    const n = 8;
    const { x, cumulative } = gaussLegendre(n);
    for (const degree of [0, 1, 4, 7]) {
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let m = 0; m < n; m++) s += cumulative[k * n + m] * x[m] ** degree;
        expect(s).toBeCloseTo((x[k] ** (degree + 1) - (-1) ** (degree + 1)) / (degree + 1), 12);
      }
    }
  });
});

describe('Gauss–Hermite', () => {
  it('matches the moments of e^{−x²}', () => {
    const { x, w } = gaussHermite(12);
    const moment = (p: number) => x.reduce((s, xi, i) => s + w[i] * xi ** p, 0);
    expect(moment(0)).toBeCloseTo(Math.sqrt(Math.PI), 12);
    expect(moment(2)).toBeCloseTo(Math.sqrt(Math.PI) / 2, 12);
    expect(moment(4)).toBeCloseTo((3 * Math.sqrt(Math.PI)) / 4, 11);
    expect(moment(3)).toBeCloseTo(0, 12);
  });
});
