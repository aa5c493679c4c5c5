import { describe, expect, it } from 'vitest';
import { matchUriTemplate, uriTemplateProblem, uriTemplateVariables } from './uri-template';

describe('resource URI templates (RFC 6570 level 1)', () => {
  it('accepts simple expressions and lists their variables in order', () => {
    expect(uriTemplateProblem('weather://forecast/{city}/{day}')).toBeUndefined();
    expect(uriTemplateVariables('weather://forecast/{city}/{day}')).toEqual(['city', 'day']);
  });

  it.each([
    ['forecast/{city}', 'must start with a URI scheme, e.g. "docs://"'],
    [
      'docs://{+path}',
      '{+path} is not supported: use simple {name} expressions (RFC 6570 level 1)',
    ],
    ['docs://{a,b}', '{a,b} is not supported: use simple {name} expressions (RFC 6570 level 1)'],
    ['docs://readme', 'needs at least one {name} expression'],
    ['docs://{a}/{a}', '{a} appears twice'],
    ['docs://{a}{b}', 'two expressions must be separated by text'],
    ['docs://{a}}', 'has an unbalanced brace'],
  ])('refuses %s', (template, message) => {
    expect(uriTemplateProblem(template)).toEqual({ message });
  });

  it('matches a URI, decoding each value, and keeps values inside their segment', () => {
    const t = 'weather://forecast/{city}?day={day}';
    expect(matchUriTemplate(t, 'weather://forecast/New%20York?day=mon')).toEqual({
      city: 'New York',
      day: 'mon',
    });
    expect(matchUriTemplate(t, 'weather://forecast/a/b?day=mon')).toBeUndefined();
    expect(matchUriTemplate(t, 'weather://forecast/oslo?day=mon&x=1')).toBeUndefined();
    expect(matchUriTemplate(t, 'weather://forecast/%E0%A4%A?day=mon')).toBeUndefined();
    expect(matchUriTemplate('a.b://{x}', 'aXb://1')).toBeUndefined();
  });
});
