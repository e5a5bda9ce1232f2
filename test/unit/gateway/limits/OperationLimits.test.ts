import { createOperationLimits, DEFAULT_OPERATION_LIMITS, type OperationLimits } from '../../../../gateway/limits/OperationLimits';

describe('createOperationLimits', () => {
  it('keeps the defaults where nothing is overridden', () => {
    expect(createOperationLimits({ maxDepth: 6 })).toEqual({ ...DEFAULT_OPERATION_LIMITS, maxDepth: 6 });
  });

  it('refuses limits that are not positive integers, naming each', () => {
    const attempt = (): unknown => createOperationLimits({ maxDepth: 0, maxCost: 1.5, maxAliases: Number.NaN });
    expect(attempt).toThrow(/maxDepth must be a positive integer, got 0/);
    expect(attempt).toThrow(/maxCost must be a positive integer, got 1.5/);
    expect(attempt).toThrow(/maxAliases must be a positive integer/);
  });

  it('refuses unknown keys, so a typo cannot leave a default silently in force', () => {
    const typo = { maxDeph: 3 } as unknown as Partial<OperationLimits>;
    expect(() => createOperationLimits(typo)).toThrow(/unknown limit "maxDeph"/);
  });
});
