import { describe, expect, it } from 'vitest';
import { escapeHtml, splitTemplate } from './fill.js';

describe('filling a compiled template', () => {
  it('fills every occurrence of each placeholder', () => {
    const t = splitTemplate('<a href="{{url}}/1">1</a><a href="{{url}}/2">2</a> {{ name }}');
    expect(t.names).toEqual(['url', 'name']);
    expect(t.fill({ url: 'https://x.test/s/abc', name: 'Ann' })).toBe('<a href="https://x.test/s/abc/1">1</a><a href="https://x.test/s/abc/2">2</a> Ann');
  });

  it('escapes values for HTML so a client name cannot inject markup', () => {
    const t = splitTemplate('<p title="{{v}}">{{v}}</p>', escapeHtml);
    expect(t.fill({ v: '<b>"O\'Neil" & co</b>' })).toBe('<p title="&#60;b&#62;&#34;O&#39;Neil&#34; &#38; co&#60;/b&#62;">&#60;b&#62;&#34;O&#39;Neil&#34; &#38; co&#60;/b&#62;</p>');
  });

  it('refuses to send a message with a placeholder left unfilled', () => {
    expect(() => splitTemplate('Hi {{first_name}}').fill({})).toThrow(/first_name/);
  });
});
