export * from './constants';
export * from './backoff';
export * from './quota';
export * from './adaptive';
