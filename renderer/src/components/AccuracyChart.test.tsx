import { describe, expect, it } from 'vitest';
import { placeMarkers } from './AccuracyChart';

describe('placeMarkers', () => {
  it('keeps labels far apart on the first row and moves a close one to the next', () => {
    expect(placeMarkers([40, 200, 205, 210, 400]).map((m) => m.row)).toEqual([0, 0, 1, 2, 0]);
  });
});
