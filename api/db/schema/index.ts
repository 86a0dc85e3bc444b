export * from './aeds.ts';
export * from './campus.ts';
export * from './incidents.ts';
export * from './users.ts';
