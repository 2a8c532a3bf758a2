/**
 * The one style sheet of the HTML reports (tenant and token), inlined in a `<style>` block whose hash the page's
 * Content-Security-Policy allows. No style attributes anywhere: the policy would refuse them. Colour is never the
 * only signal: every verdict and coverage state also carries a symbol and a word.
 */
export const STYLE = `
:root { --pass: #1a7f37; --fail: #c9182b; --unknown: #9a6700; --exempt: #57606a; --line: #d0d7de; --muted: #57606a;
  --bg-pass: #dafbe1; --bg-fail: #ffebe9; --bg-unknown: #fff8c5; --bg-exempt: #eaeef2; --focus: #0969da; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 0 auto;
  max-width: 1200px; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .25rem; }
a { color: var(--focus); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 2; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.muted { color: var(--muted); }
.mono, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em;
  overflow-wrap: anywhere; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
.verdict { border: 2px solid; border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; font-size: 1.1rem; }
.v-pass { color: var(--pass); } .v-fail { color: var(--fail); } .v-unknown { color: var(--unknown); }
.v-exempt { color: var(--exempt); } .v-warn { color: var(--unknown); } .v-skip { color: var(--exempt); }
.verdict.v-pass { background: var(--bg-pass); } .verdict.v-fail { background: var(--bg-fail); }
.verdict.v-unknown { background: var(--bg-unknown); }
.badge { display: inline-block; font-weight: 600; border: 1px solid; border-radius: 4px; padding: 0 .35rem;
  white-space: nowrap; font-size: .85rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; max-width: 100%; }
.fixes li { margin: .5rem 0; }
.fixes .accounts { margin: .25rem 0 0; }
.coverage { font-size: .8rem; }
.coverage th[scope=col] { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
  font-weight: 500; }
.coverage th.dim { writing-mode: horizontal-tb; transform: none; text-align: center; }
.coverage td.cell { text-align: center; min-width: 1.8rem; font-weight: 700; }
.c-covered, .c-mfa { background: var(--bg-pass); color: var(--pass); }
.c-open { background: var(--bg-fail); color: var(--fail); }
.c-uncertain { background: var(--bg-unknown); color: var(--unknown); }
.c-unproven { background: #fff; color: var(--muted); }
.c-exempt { background: var(--bg-exempt); color: var(--exempt); }
.legend { display: flex; flex-wrap: wrap; gap: .5rem 1rem; padding: 0; list-style: none; }
.legend span { display: inline-block; min-width: 1.8rem; text-align: center; font-weight: 700;
  border: 1px solid var(--line); }
.controls { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: .5rem 0; }
.controls label { display: flex; flex-direction: column; font-size: .85rem; }
.controls input, .controls select, .controls button, .pager button { font: inherit; padding: .25rem .4rem; }
.accounts-list { list-style: none; padding: 0; margin: 0; }
.accounts-list > li { border-bottom: 1px solid var(--line); }
.accounts-list summary { cursor: pointer; padding: .35rem .25rem; display: flex; flex-wrap: wrap; gap: .25rem .75rem;
  align-items: baseline; }
.accounts-list .upn { font-weight: 600; overflow-wrap: anywhere; }
.account-body { padding: 0 1rem .75rem 1.5rem; }
.gap { border-left: 4px solid var(--fail); padding: .25rem .75rem; margin: .5rem 0; background: #fafbfc; }
.gap.possible { border-left-color: var(--unknown); }
.pager { display: flex; gap: 1rem; align-items: center; margin: .5rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
.card h2 { margin-top: 0; border: 0; }
[hidden] { display: none !important; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  nav, .controls, .pager, .skip, .js-only { display: none !important; }
  h2 { break-after: avoid; }
  .card, .fixes li, tr { break-inside: avoid; }
  .scroll { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
`;
