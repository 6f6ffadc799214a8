import { describe, expect, it } from 'vitest';
import { displayNameFor, findAssets } from './player.js';

describe('findAssets', () => {
  const base = new URL('http://127.0.0.1:8080/');

  it('finds the scripts, styles and icons Vite puts in index.html, once each', () => {
    const html = `<!doctype html><head>
      <link rel="icon" type="image/svg+xml" href="/assets/favicon-B.svg" />
      <script type="module" crossorigin src="/assets/index-A.js"></script>
      <link rel="modulepreload" href="./assets/chunk-C.js">
      <link rel="stylesheet" crossorigin href='/assets/index-D.css'>
      <script src="/assets/index-A.js"></script>
      <script src="https://cdn.example.com/assets/x.js"></script>
      <link rel="manifest" href="/manifest.json">
      <img src="/assets/not-a-script-tag.png">
    </head>`;
    expect(findAssets(html, base)).toEqual(['/assets/favicon-B.svg', '/assets/index-A.js', '/assets/chunk-C.js', '/assets/index-D.css']);
  });

  it('finds nothing on the "not built" placeholder page', () => {
    expect(findAssets('<!doctype html><title>ctfg</title><h1>ctfg is running</h1>', base)).toEqual([]);
  });
});

describe('displayNameFor', () => {
  it('makes a valid, bounded name from any username', () => {
    expect(displayNameFor('player17')).toBe('Emu player17');
    expect(displayNameFor('a/b\\c')).toBe('Emu a-b-c');
    expect(displayNameFor('x'.repeat(50)).length).toBeLessThanOrEqual(30);
  });
});
