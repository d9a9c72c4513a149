import { describe, expect, it } from 'vitest';
import { sameOriginPath } from '@/lib/auth/redirect';

const APP = 'https://mailroom.example.com';

describe('sameOriginPath', () => {
  it('keeps a path on the console, with its query and fragment', () => {
    expect(sameOriginPath('/stores/abc/notifications?tab=1#smtp', APP)).toBe('/stores/abc/notifications?tab=1#smtp');
    expect(sameOriginPath(`${APP}/activity`, APP)).toBe('/activity');
    expect(sameOriginPath('activity', APP)).toBe('/activity');
    expect(sameOriginPath(undefined, APP)).toBe('/');
  });

  it('sends every way off the console to the overview', () => {
    for (const target of [
      '/\\evil.example/x', // what /login?callbackUrl=/%5Cevil.example/x decodes to
      '/\t/evil.example/x', // /%09/evil.example/x
      '/\n/evil.example',
      '//evil.example/x',
      '\\\\evil.example',
      'https://evil.example/x',
      'http://mailroom.example.com/x', // another scheme is another origin
      'https://mailroom.example.com.evil.example/',
      'javascript:alert(1)',
      'http://[::1', // not a URL at all
    ]) {
      expect(sameOriginPath(target, APP), target).toBe('/');
    }
  });

  it('never returns a path a browser would read as another host', () => {
    expect(sameOriginPath('/.//evil.example/x', APP)).toBe('/evil.example/x');
    expect(sameOriginPath('/%2F/evil.example', APP)).toBe('/%2F/evil.example');
  });
});
