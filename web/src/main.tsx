/** Entry point: mounts the app. Styles are imported here so Vite bundles them into /assets/. */
import { render } from 'preact';
import { App } from './app.js';
import { trackInputModality } from './ui/inputModality.js';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/login.css';
import './styles/challenges.css';
import './styles/detail.css';
import './styles/scoreboard.css';
import './styles/event.css';
import './styles/board.css';

trackInputModality(document);
const root = document.getElementById('app');
if (root) render(<App />, root);
