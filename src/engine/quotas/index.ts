export * from './tables';
export * from './families';
export * from './bucket';
export * from './state';
export * from './sandbox';
