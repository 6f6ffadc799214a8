/**
 * The sample game `ctfg init` writes: "Heist on Station Meridian".
 *
 * Every puzzle can be solved with nothing but a browser (and its developer
 * console). Ciphertexts are computed from the answers below rather than typed
 * by hand, so they can never drift apart; the unit test checks every testflag.
 *
 * Unlock map (requirements):
 *
 *   1 Docking Request ─┬─ 2 Badge Scanner ─┬─ 5 Cargo Manifest ──┐
 *                      │                   ├─ 6 Hull Signals ────┼─ 9 Vault Door ─┐
 *                      │                   └─ 12 Hex Marks ──────┘                │
 *                      ├─ 3 Airlock Keypad ─ 7 Reactor Guards ────────────────────┼─ 10 Escape Pod
 *                      └─ 4 Crew Quarters ── 8 Roll Call ─────────────────────────┘
 *   11 Window Count: no requirements (a bonus anyone can try first)
 */
import type { ChallengeSource } from '../../config/challenges.js';

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function hex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex');
}

/** Shifts letters forward by `shift`, keeping case; everything else stays. */
function caesar(text: string, shift: number): string {
  return text.replace(/[a-z]/gi, (ch) => {
    const base = ch <= 'Z' ? 65 : 97;
    return String.fromCharCode(((ch.charCodeAt(0) - base + shift + 26) % 26) + base);
  });
}

const MORSE: Readonly<Record<string, string>> = {
  A: '.-', B: '-...', C: '-.-.', D: '-..', E: '.', F: '..-.', G: '--.', H: '....', I: '..', J: '.---',
  K: '-.-', L: '.-..', M: '--', N: '-.', O: '---', P: '.--.', Q: '--.-', R: '.-.', S: '...', T: '-',
  U: '..-', V: '...-', W: '.--', X: '-..-', Y: '-.--', Z: '--..',
};

function morse(word: string): string {
  return [...word.toUpperCase()].map((ch) => MORSE[ch] ?? '?').join(' ');
}

/** A regex fragment that matches `word` in any letter case, e.g. "cy" → "[cC][yY]". */
function anyCase(word: string): string {
  return [...word].map((ch) => (/[a-z]/i.test(ch) ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : ch)).join('');
}

const BADGE_FLAG = 'CTF{badge-cloned}';
const CARGO_FLAG = 'CTF{bay-seven-holds-the-loot}';
const HEX_FLAG = 'CTF{hex-is-just-bytes}';
const POD_FLAG = 'CTF{home-before-dinner}';

/** Vault lights: 1 = lit. 10110010 in binary is 178. */
const VAULT_LIGHTS = '●○●●○○●○';

export const SAMPLE_CHALLENGES: readonly ChallengeSource[] = [
  {
    id: 1,
    title: 'Docking Request',
    category: 'Recon',
    difficulty: 'Easy',
    points: 50,
    description: [
      '## Welcome aboard, @DISPLAYNAME@!',
      '',
      'Your crew has talked its way onto **Station Meridian**, a luxury orbital casino with a vault',
      'nobody has ever cracked. First, the docking computer wants the crew pass phrase.',
      '',
      'Every flag in this game looks like `CTF{...}`. Type this one exactly:',
      '',
      '<p><big><code>CTF{ready-for-launch}</code></big></p>',
      '',
      'Solving challenges unlocks new ones. Hints cost points, so think before you buy.',
    ].join('\n'),
    flag: '^CTF\\{ready-for-launch\\}$',
    testflag: 'CTF{ready-for-launch}',
    hints: [{ id: 1, text: 'Copy everything, **including** `CTF{` and the closing `}`.', cost: 0 }],
  },
  {
    id: 2,
    title: 'Badge Scanner',
    category: 'Crypto',
    difficulty: 'Easy',
    points: 100,
    requirements: [1],
    description: [
      'A guard dropped their access badge. The magnetic strip reads:',
      '',
      '```',
      base64(BADGE_FLAG),
      '```',
      '',
      'That trailing `=` looks familiar...',
    ].join('\n'),
    flag: `^${BADGE_FLAG.replace(/[{}]/g, '\\$&')}$`,
    testflag: BADGE_FLAG,
    hints: [
      { id: 1, text: 'It is a very common way to write bytes as text: **Base64**.', cost: 0 },
      {
        id: 2,
        text: 'Open the browser console (<kbd>F12</kbd>) and try `atob("...")` with the strip inside the quotes.',
        cost: 20,
      },
    ],
  },
  {
    id: 3,
    title: 'Airlock Keypad',
    category: 'Logic',
    difficulty: 'Easy',
    points: 100,
    requirements: [1],
    description: [
      'The service airlock has a keypad with a sticky note from the engineer:',
      '',
      '> *Code = 1 + 2 + 3 + ... + 64. I am terrible at remembering numbers.*',
      '',
      'Enter the code as `CTF{number}` (or just the number).',
    ].join('\n'),
    flag: '^(?:CTF\\{2080\\}|2080)$',
    testflag: 'CTF{2080}',
    hints: [
      { id: 1, text: 'Pair the numbers: 1 + 64, 2 + 63, 3 + 62, ... How many pairs are there?', cost: 10 },
      { id: 2, text: '32 pairs, each adding up to 65.', cost: 30 },
    ],
  },
  {
    id: 4,
    title: 'Crew Quarters',
    category: 'Web',
    difficulty: 'Easy',
    points: 150,
    requirements: [1],
    description: [
      'The quartermaster left the crew list open on a terminal. It looks empty...',
      '',
      '| Bunk | Crew member |',
      '|------|-------------|',
      '| 1 | *(vacant)* |',
      '| 2 | *(vacant)* |',
      '',
      '<!-- note to self: the spare key is in the hidden bunk below -->',
      '<span hidden>CTF{nothing-is-hidden-from-inspect}</span>',
      '',
      '...but terminals here show only what they want you to see.',
    ].join('\n'),
    flag: '^CTF\\{nothing-is-hidden-from-inspect\\}$',
    testflag: 'CTF{nothing-is-hidden-from-inspect}',
    hints: [
      { id: 1, text: 'Web pages can contain things that are not displayed.', cost: 0 },
      { id: 2, text: 'Right-click this challenge text and choose **Inspect**.', cost: 25 },
    ],
  },
  {
    id: 5,
    title: 'Cargo Manifest',
    category: 'Crypto',
    difficulty: 'Medium',
    points: 200,
    requirements: [2],
    description: [
      'The cargo master is old-fashioned: every letter in the manifest is shifted three places',
      'along the alphabet, just like Julius Caesar did it. The last line reads:',
      '',
      '```',
      caesar(CARGO_FLAG, 3),
      '```',
    ].join('\n'),
    flag: `^${CARGO_FLAG.replace(/[{}]/g, '\\$&')}$`,
    testflag: CARGO_FLAG,
    hints: [
      { id: 1, text: 'Shift each letter **back** by 3: D→A, E→B, F→C ...', cost: 20 },
      { id: 2, text: 'The first word decodes to `CTF`. Digits and dashes are not shifted.', cost: 40 },
    ],
  },
  {
    id: 6,
    title: 'Hull Signals',
    category: 'Recon',
    difficulty: 'Medium',
    points: 150,
    requirements: [2],
    description: [
      'Someone is tapping on the outside of the hull. Long and short knocks:',
      '',
      `<p><big><code>${morse('stars')}</code></big></p>`,
      '',
      'Submit the word as `CTF{WORD}`.',
    ].join('\n'),
    flag: `^CTF\\{${anyCase('stars')}\\}$`,
    testflag: 'CTF{STARS}',
    hints: [
      { id: 1, text: 'Dots and dashes: this is **Morse code**.', cost: 0 },
      { id: 2, text: '`...` is S and `-` is T. Upper or lower case both count.', cost: 30 },
    ],
  },
  {
    id: 7,
    title: 'Reactor Guards',
    category: 'Logic',
    difficulty: 'Medium',
    points: 250,
    requirements: [3],
    description: [
      'Three guards watch the reactor room. One of them carries the reactor key.',
      '',
      '- **Ada** says: "Bo has the key."',
      '- **Bo** says: "I do not have the key."',
      '- **Cy** says: "I do not have the key."',
      '',
      'Exactly **one** of these statements is true. Who has the key?',
      'Submit the name as `CTF{name}`.',
    ].join('\n'),
    flag: `^(?:CTF\\{${anyCase('cy')}\\}|${anyCase('cy')})$`,
    testflag: 'CTF{Cy}',
    hints: [
      { id: 1, text: 'Try each guard as the key holder and count the true statements.', cost: 25 },
      {
        id: 2,
        text: 'If Ada had it, Bo and Cy would both be telling the truth: <em>two</em> true statements.',
        cost: 50,
      },
    ],
  },
  {
    id: 8,
    title: 'Roll Call',
    category: 'Web',
    difficulty: 'Easy',
    points: 100,
    requirements: [4],
    // Placeholders are filled in per player. Because every player sees a
    // different description, the flag accepts any crew number; a game that needs
    // per-player answers checks them with an external judge (POST /api/award).
    description: [
      'The station AI performs a roll call.',
      '',
      '> Crew member **@USERNAME@**, you are crew number **@USERID@**.',
      '> Your docking ring today is `@PLAYER_CLUSTER@` (control: `@CONTROL_CLUSTER@`).',
      '> Your encrypted crew tag: `@OBFUSCATED_DISPLAYNAME@`',
      '',
      'Answer the roll call with `CTF{crew-N}`, where N is your crew number.',
    ].join('\n'),
    flag: '^CTF\\{crew-[0-9]+\\}$',
    testflag: 'CTF{crew-1}',
    hints: [{ id: 1, text: 'Your crew number is printed in bold, right there in the roll call.', cost: 0 }],
  },
  {
    id: 9,
    title: 'Vault Door',
    category: 'Logic',
    difficulty: 'Hard',
    points: 300,
    requirements: [5, 6, 12],
    description: [
      'The vault door has eight lights. Lit lights are ●, dark ones are ○:',
      '',
      `<h2>${[...VAULT_LIGHTS].join(' ')}</h2>`,
      '',
      'The engineers who built it only count in ones and zeros. Enter the number the',
      'lights show, in ordinary decimal, as `CTF{number}`.',
    ].join('\n'),
    flag: '^(?:CTF\\{178\\}|178)$',
    testflag: 'CTF{178}',
    hints: [
      { id: 1, text: 'Read the lights as **binary**: ● = 1, ○ = 0.', cost: 30 },
      { id: 2, text: '`10110010` = 128 + 32 + 16 + 2', cost: 60 },
    ],
  },
  {
    id: 10,
    title: 'Escape Pod',
    category: 'Web',
    difficulty: 'Hard',
    points: 400,
    requirements: [7, 8, 9],
    description: [
      '## The alarms are going off!',
      '',
      'The loot is aboard and the escape pod wants its launch code. The pilot scribbled it',
      'on the mirror, so it came out backwards. Being paranoid, she also turned every letter',
      'halfway around the alphabet:',
      '',
      '```',
      caesar([...POD_FLAG].reverse().join(''), 13),
      '```',
      '',
      'Get home before dinner.',
    ].join('\n'),
    flag: `^${POD_FLAG.replace(/[{}]/g, '\\$&')}$`,
    testflag: POD_FLAG,
    hints: [
      { id: 1, text: 'Two steps: read it right to left, then undo the letter turn.', cost: 0 },
      { id: 2, text: 'Halfway around 26 letters is 13: this is **ROT13**, which undoes itself.', cost: 50 },
      {
        id: 3,
        text: 'In the browser console:<br>`[..."paste it here"].reverse().join("").replace(/[a-z]/gi, c => String.fromCharCode((c.toLowerCase().charCodeAt(0) - 84) % 26 + (c < "a" ? 65 : 97)))`',
        cost: 100,
      },
    ],
  },
  {
    id: 11,
    title: 'Window Count',
    category: 'Bonus',
    difficulty: 'Easy',
    points: 75,
    description: [
      'Station Meridian is a ring of **12 modules**. Every module has **7 windows**,',
      'except every third module (the 3rd, 6th, 9th and 12th), which has **9**.',
      '',
      'How many windows does the station have? Submit the number.',
    ].join('\n'),
    flag: '^(?:CTF\\{92\\}|92)$',
    testflag: '92',
    hints: [{ id: 1, text: '8 modules × 7 windows, plus 4 modules × 9 windows.', cost: 15 }],
  },
  {
    id: 12,
    title: 'Hex Marks the Spot',
    category: 'Crypto',
    difficulty: 'Medium',
    points: 200,
    requirements: [2],
    description: [
      'The vault controller dumps its memory when you poke it:',
      '',
      '```',
      hex(HEX_FLAG),
      '```',
      '',
      'Only the digits 0–9 and letters a–f. Two of them make one character.',
    ].join('\n'),
    flag: `^${HEX_FLAG.replace(/[{}]/g, '\\$&')}$`,
    testflag: HEX_FLAG,
    hints: [
      { id: 1, text: 'This is **hexadecimal**: `43` is the character `C`.', cost: 20 },
      {
        id: 2,
        text: 'Console one-liner:<br>`"4354...".match(/../g).map(h => String.fromCharCode(parseInt(h, 16))).join("")`',
        cost: 40,
      },
    ],
  },
];
