import { describe, expect, it } from 'vitest';
import { suggestions } from './suggest';

describe('suggestions', () => {
  const names = ['Ada Lindqvist', 'Ben Okafor', 'Adam Smith', 'Grace Hopper', 'Nadia Ada'];
  it('lists values starting with the text first, then containing it', () => {
    expect(suggestions(names, 'ada')).toEqual(['Ada Lindqvist', 'Adam Smith', 'Nadia Ada']);
  });
  it('holds at most the limit, and the first values when nothing is typed', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `Person ${i}`);
    expect(suggestions(many, '')).toHaveLength(50);
    expect(suggestions(many, 'person 42', 3)).toEqual(['Person 42', 'Person 420', 'Person 421']);
  });
});
