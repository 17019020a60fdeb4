export * from './types';
export * from './defaults';
export * from './validate';
export * from './load';
export * from './schedule';
export * from './to-runtime';
export * from './function-env';
export * from './runtime-config';
