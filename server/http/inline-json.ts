// A JSON data block written into a page before </head>: not a script the browser runs (so the CSP's script-src
// has no say), and `<` escaped so no value can close the element. The page's script reads it by its id.
export function withInlineJson(html: string, id: string, data: unknown): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const block = `<script type="application/json" id="${id}">${json}</script>`;
  return html.includes('</head>') ? html.replace('</head>', `${block}</head>`) : `${block}${html}`;
}
