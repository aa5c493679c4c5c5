// Bench stand-in (scripts/bench/substitutes.mjs): streams are not re-checked.
export const guardStream = (res) => res;
