// Module-level state for kata 03, given complete. Every process that imports
// this module gets a module of its own, with its own `state`.
export const state = { counter: 0 };
