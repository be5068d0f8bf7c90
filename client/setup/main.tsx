// Entry of the /setup page.
import { render } from 'preact';
import './setup.css';
import { createSetupModel } from './model.ts';
import { SetupPage } from './setup-page.tsx';

const model = createSetupModel((input, init) => fetch(input, init));
void model.detectSandbox();
const root = document.getElementById('root');
if (root) render(<SetupPage model={model} />, root);
