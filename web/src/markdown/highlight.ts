/**
 * highlight.js core with a handful of languages CTF authors actually use. Importing the full
 * library would add ~900 KB to the bundle for languages nobody writes challenges in.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';

const languages = { bash, c, cpp, javascript, json, plaintext, python, sql, typescript, xml };
for (const [name, def] of Object.entries(languages)) hljs.registerLanguage(name, def);
hljs.registerAliases(['sh', 'shell', 'zsh'], { languageName: 'bash' });
hljs.registerAliases(['html', 'svg'], { languageName: 'xml' });
hljs.registerAliases(['js'], { languageName: 'javascript' });
hljs.registerAliases(['ts'], { languageName: 'typescript' });
hljs.registerAliases(['py'], { languageName: 'python' });
hljs.registerAliases(['text', 'txt'], { languageName: 'plaintext' });

/** Returns highlighted HTML (hljs escapes the source) and the language used. */
export function highlightCode(code: string, lang: string | undefined): { html: string; language: string } {
  const wanted = (lang ?? '').trim().toLowerCase().split(/\s+/)[0] ?? '';
  if (wanted !== '' && hljs.getLanguage(wanted)) {
    const res = hljs.highlight(code, { language: wanted, ignoreIllegals: true });
    return { html: res.value, language: res.language ?? wanted };
  }
  const auto = hljs.highlightAuto(code, Object.keys(languages));
  return { html: auto.value, language: auto.language ?? 'plaintext' };
}
