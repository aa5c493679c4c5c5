// Code mode's step guard (src/modes/program-guard.ts): a tick at the top of every loop body and
// function body, outside any try block of the loop it guards; programs that would escape it
// are refused before they run.
import { describe, expect, it } from 'vitest';
import { guardProgram } from '../src/modes/program-guard';

const guarded = (code: string) => {
  const r = guardProgram(code);
  if (!r.ok) throw new Error(r.error);
  return r.source.replace(/\s+/g, ' ');
};

describe('the code-mode step guard', () => {
  it('ticks at the top of every loop body, braced or not, before any try inside it', () => {
    expect(guarded('while (true) { try { x(); } catch {} }')).toContain(
      'while (true) {__moat_tick(); try',
    );
    expect(guarded('for (;;) x++;')).toContain('for (;;) {__moat_tick();x++;}');
    expect(guarded('do x++; while (x < 3)')).toContain('do {__moat_tick();x++;} while');
    expect(guarded('for (const a of b) for (const c in a) f(c);')).toContain(
      'for (const a of b) {__moat_tick();for (const c in a) {__moat_tick();f(c);}}',
    );
  });

  it('ticks on entry to every function, arrow bodies included', () => {
    expect(guarded('function f() { return f(); }')).toContain(
      'function f() {__moat_tick(); return',
    );
    expect(guarded('return [1].map((x) => ({ x }));')).toContain(
      'map((x) => ((__moat_tick(), { x })))',
    );
  });

  it('refuses import(), reserved names and code that leaves its wrapper', () => {
    expect(guardProgram("await import('cloudflare:sockets')")).toEqual({
      ok: false,
      error: 'import is not available: call the tools through `tools`',
    });
    expect(guardProgram('__moat_tick = () => {}')).toMatchObject({ ok: false });
    expect(guardProgram('}); while (true) {} (async () => {')).toMatchObject({
      ok: false,
      error: 'SyntaxError: unbalanced braces in the program',
    });
  });
});
