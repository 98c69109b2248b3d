import { describe, expect, it } from 'vitest';
import { lonLatBoxOf } from './site-crs-fit.ts';

describe('lonLatBoxOf', () => {
  it('spans every coordinate of lines and multilines, and is null without any', () => {
    expect(
      lonLatBoxOf([
        {
          geometry: {
            coordinates: [
              [104.7, 8.6],
              [104.8, 8.65],
            ],
          },
        },
        {
          geometry: {
            coordinates: [
              [
                [104.65, 8.7],
                [104.75, 8.55],
              ],
            ],
          },
        },
        { geometry: null },
      ]),
    ).toEqual([104.65, 8.55, 104.8, 8.7]);
    expect(lonLatBoxOf([])).toBeNull();
    expect(lonLatBoxOf([{ geometry: { coordinates: [] } }])).toBeNull();
  });
});
