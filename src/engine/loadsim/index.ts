export * from './types';
export * from './sim';
export * from './strategies';
