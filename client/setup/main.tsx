// Entry of the /setup page.
import { render } from 'preact';
import { createSetupModel } from './model.ts';
import { SetupPage } from './setup-page.tsx';

const css = `body{font:13px/1.4 Arial,sans-serif;margin:24px;color:#222;max-width:640px}
fieldset{border:1px solid #ccc;margin:0 0 12px;padding:8px 12px}legend{font-weight:bold}
.field{display:flex;flex-direction:column;margin:6px 0}.field label{font-weight:bold}
.field input,.field select{padding:4px;border:1px solid #999;font:inherit}
.field input[aria-invalid=true]{border-color:#c00}.err{color:#c00}small{color:#666}
.success{background:#dff0d8;border:1px solid #3c763d;color:#3c763d;padding:8px}
.failure{background:#f2dede;border:1px solid #a94442;color:#a94442;padding:8px}
.checks .ok{color:#3c763d}.checks .bad{color:#a94442}button{padding:4px 12px}
:focus-visible{outline:2px solid #0067b1;outline-offset:1px}`;

const style = document.createElement('style');
style.textContent = css;
document.head.append(style);

const model = createSetupModel((input, init) => fetch(input, init));
void model.detectSandbox();
const root = document.getElementById('root');
if (root) render(<SetupPage model={model} />, root);
