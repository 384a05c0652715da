// The contract's view builders, shared with the engine-side tests.
export * from '../../../contract/view-fixtures';
